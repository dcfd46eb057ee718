import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/fake-electron.js';
import { SettingsStore } from './settings-store.js';
import { TokenStore } from './token-store.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));

const TOKEN = 'MTAw.session.token';

function setup() {
  const dir = fake.app.getPath('userData');
  const file = path.join(dir, 'settings.json');
  const log = { warn: vi.fn() };
  const tokens = new TokenStore(path.join(dir, 'session.bin'), log);
  return { dir, file, log, tokens, store: new SettingsStore(file, log) };
}

beforeEach(() => fake.resetFakeElectron());

describe('SettingsStore', () => {
  it('remembers the window placement across restarts', () => {
    const { file, log, store } = setup();
    expect(store.windowBounds).toBeNull();
    store.windowBounds = { x: 10, y: 20, width: 1300, height: 820, maximized: true };
    expect(new SettingsStore(file, log).windowBounds).toEqual({ x: 10, y: 20, width: 1300, height: 820, maximized: true });
  });

  it('keeps client values in the file and the token only in the token store', async () => {
    const { dir, file, log, tokens, store } = setup();
    const storage = store.clientStorage(tokens);
    await storage.set('serverUrl', 'https://chat.example.org');
    await storage.set('settings', '{"theme":"light"}');
    await storage.set('token', TOKEN);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('https://chat.example.org');
    expect(text).not.toContain(TOKEN);
    expect(fs.readFileSync(path.join(dir, 'session.bin')).includes(Buffer.from(TOKEN))).toBe(false);

    const reopened = new SettingsStore(file, log).clientStorage(new TokenStore(path.join(dir, 'session.bin'), log));
    expect(await reopened.get('serverUrl')).toBe('https://chat.example.org');
    expect(await reopened.get('settings')).toBe('{"theme":"light"}');
    expect(await reopened.get('token')).toBe(TOKEN);
    await reopened.delete('token');
    await reopened.delete('serverUrl');
    expect(await reopened.get('token')).toBeNull();
    expect(await reopened.get('serverUrl')).toBeNull();
  });

  it('sets a corrupt file aside and starts from defaults', () => {
    const { dir, file, log } = setup();
    fs.writeFileSync(file, '{"client": {"serverUrl": "http://x"'); // truncated
    const store = new SettingsStore(file, log);
    expect(store.windowBounds).toBeNull();
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('unreadable'));
    expect(fs.readdirSync(dir).some((name) => name.startsWith('settings.json.corrupt-'))).toBe(true);
  });

  it('ignores invalid values instead of failing', () => {
    const { file, log } = setup();
    fs.writeFileSync(file, JSON.stringify({ client: 'nope', window: { x: 'left' } }));
    const store = new SettingsStore(file, log);
    expect(store.windowBounds).toBeNull();
    store.windowBounds = { x: Number.NaN, y: 0, width: 10, height: 10, maximized: false };
    expect(store.windowBounds).toBeNull();
  });
});
