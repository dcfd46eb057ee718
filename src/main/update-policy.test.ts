import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadUpdateSource, updatePolicyFiles } from './update-policy.js';
import { compareVersions, generateSigningKeys, keyFingerprint, publicKeyOf } from './update-signing.js';

const dirs: string[] = [];
function policyDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-policy-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('update policy', () => {
  const key = generateSigningKeys().publicKey;

  it('uses the release channel and the compiled-in key without a policy file', () => {
    const dir = policyDir();
    expect(loadUpdateSource([path.join(dir, 'system.json'), path.join(dir, 'user.json')], key)).toEqual({ kind: 'release', publicKey: key });
  });

  it('takes an operator feed only with an https address and a pinned key, the system file first', () => {
    const dir = policyDir();
    const system = path.join(dir, 'system.json');
    const user = path.join(dir, 'user.json');
    fs.writeFileSync(user, JSON.stringify({ feedUrl: 'https://user.example.org/', publicKey: key }));
    expect(loadUpdateSource([system, user], null)).toEqual({ kind: 'operator', feedUrl: 'https://user.example.org/', publicKey: key, file: user });
    fs.writeFileSync(system, JSON.stringify({ feedUrl: 'https://corp.example.org/hearth/', publicKey: key }));
    expect(loadUpdateSource([system, user], null)).toMatchObject({ kind: 'operator', feedUrl: 'https://corp.example.org/hearth/', file: system });
  });

  it.each([
    ['an http feed', { feedUrl: 'http://updates.example.org/', publicKey: key }, 'feedUrl: must be an https:// address'],
    ['a feed without a key', { feedUrl: 'https://updates.example.org/' }, 'publicKey'],
    ['a key that is not one', { feedUrl: 'https://updates.example.org/', publicKey: 'abc' }, 'raw Ed25519 public key'],
    ['unknown fields', { feedUrl: 'https://updates.example.org/', publicKey: key, allowDowngrade: true }, 'allowDowngrade'],
  ])('turns updates off for %s instead of falling back', (_name, policy, message) => {
    const file = path.join(policyDir(), 'update-policy.json');
    fs.writeFileSync(file, JSON.stringify(policy));
    const source = loadUpdateSource([file], key);
    expect(source).toMatchObject({ kind: 'invalid', file });
    expect(source.kind === 'invalid' && source.reason).toContain(message);
  });

  it('turns updates off for a file that is not JSON', () => {
    const file = path.join(policyDir(), 'update-policy.json');
    fs.writeFileSync(file, '{ feedUrl: ');
    expect(loadUpdateSource([file], key)).toEqual({ kind: 'invalid', file, reason: 'it is not valid JSON' });
  });

  it('reads an administrator location before the user-data folder on each OS', () => {
    expect(updatePolicyFiles('linux', {}, '/home/u/.config/Hearth')).toEqual(['/etc/hearth/update-policy.json', '/home/u/.config/Hearth/update-policy.json']);
    expect(updatePolicyFiles('win32', { ProgramData: 'D:\\ProgramData' }, 'C:\\Users\\u\\AppData\\Roaming\\Hearth')[0]).toBe('D:\\ProgramData\\Hearth\\update-policy.json');
    expect(updatePolicyFiles('darwin', {}, '/Users/u/Library/Application Support/Hearth')[0]).toBe('/Library/Application Support/Hearth/update-policy.json');
  });
});

describe('signing keys', () => {
  it('derives the public key from the secret one and names it by a short fingerprint', () => {
    const keys = generateSigningKeys();
    expect(publicKeyOf(keys.privateKey)).toBe(keys.publicKey);
    expect(keyFingerprint(keys.publicKey)).toMatch(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/);
  });
});

describe('compareVersions', () => {
  it('orders versions as semver does', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareVersions('1.0.0', '1.0.0+build.7')).toBe(0);
    expect(compareVersions('1.0.0-beta.2', '1.0.0')).toBe(-1);
    expect(compareVersions('1.0.0-beta.10', '1.0.0-beta.2')).toBe(1);
    expect(compareVersions('1.0.0-alpha', '1.0.0-alpha.1')).toBe(-1);
    expect(compareVersions('1.0.0-rc.1', '1.0.0-beta.9')).toBe(1);
    expect(compareVersions('1.0', '1.0.0')).toBeNull();
  });
});
