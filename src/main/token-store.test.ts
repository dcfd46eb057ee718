import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/fake-electron.js';
import { TokenStore } from './token-store.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));

const TOKEN = 'MTIzNDU2Nzg5.secret-session-token-value';

function setup() {
  const file = path.join(fake.app.getPath('userData'), 'session.bin');
  const log = { warn: vi.fn() };
  return { file, log, store: new TokenStore(file, log) };
}

beforeEach(() => fake.resetFakeElectron());

describe('TokenStore', () => {
  it('round-trips the token through safeStorage and stores only ciphertext', () => {
    const { file, log, store } = setup();
    store.save(TOKEN);
    const onDisk = fs.readFileSync(file);
    expect(onDisk.includes(Buffer.from(TOKEN))).toBe(false);
    expect(fake.callsTo('safeStorage', 'encryptString')).toHaveLength(1);
    expect(new TokenStore(file, log).load()).toBe(TOKEN);
    expect(fake.callsTo('safeStorage', 'decryptString')).toHaveLength(1);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
  });

  it('clears the token', () => {
    const { file, log, store } = setup();
    store.save(TOKEN);
    store.clear();
    expect(store.load()).toBeNull();
    expect(fs.existsSync(file)).toBe(false);
    expect(new TokenStore(file, log).load()).toBeNull();
  });

  it('keeps the token in memory only when no OS secret store exists', () => {
    fake.safeStorage.backend = 'basic_text';
    const { file, log, store } = setup();
    store.save(TOKEN);
    expect(store.load()).toBe(TOKEN);
    expect(fs.existsSync(file)).toBe(false);
    expect(store.persistent).toBe(false);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('memory only'));
  });

  it('drops a token that can no longer be decrypted', () => {
    const { file, log, store } = setup();
    fs.writeFileSync(file, 'garbage from another keyring');
    expect(store.load()).toBeNull();
    expect(fs.existsSync(file)).toBe(false);
    expect(log.warn).toHaveBeenCalledOnce();
  });

  it('never passes the token to the log', () => {
    fake.safeStorage.backend = 'basic_text';
    const { log, store } = setup();
    store.save(TOKEN);
    store.load();
    store.clear();
    const logged = JSON.stringify(log.warn.mock.calls);
    expect(logged).not.toContain(TOKEN);
    expect(JSON.stringify(fake.calls)).not.toContain(TOKEN);
  });
});
