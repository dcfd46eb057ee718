/**
 * The release workflow's signing command (`scripts/update-signing.mjs`), run as the workflow runs
 * it, on real metadata and a real installer; the app's check then accepts what it signed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSignedRelease, readMetadata, removeRelease, type SignedRelease } from './test-support/signed-release.js';
import { verifyDownloadedFile, verifyUpdateInfo } from './update-signing.js';

const script = path.resolve(import.meta.dirname, '../../scripts/update-signing.mjs');
const releases: SignedRelease[] = [];
afterEach(() => {
  for (const release of releases.splice(0)) removeRelease(release);
});

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('scripts/update-signing.mjs', () => {
  it('makes a key pair, signs metadata with the secret half, and the app accepts it with the committed half', async () => {
    const release = await makeSignedRelease({ unsigned: true, version: '3.1.0' });
    releases.push(release);
    const keyFile = path.join(release.dir, 'release-key.ts');
    fs.copyFileSync(path.resolve(import.meta.dirname, 'release-key.ts'), keyFile);
    const privateKeyFile = path.join(release.dir, 'signing-key.txt');
    const made = run(['keygen', '--private-key-out', privateKeyFile, '--release-key-file', keyFile]);
    expect(made.status).toBe(0);
    expect((fs.statSync(privateKeyFile).mode & 0o777).toString(8)).toBe('600');
    const publicKey = /RELEASE_PUBLIC_KEY: string \| null = '([^']+)'/.exec(fs.readFileSync(keyFile, 'utf8'))?.[1] ?? '';

    // Unsigned metadata, as electron-builder writes it: the app refuses it.
    expect(verifyUpdateInfo(readMetadata(release.metadataFile), { publicKey, platform: 'linux', currentVersion: '3.0.0' })).toEqual({ ok: false, reason: 'The update is not signed.' });

    const signingKey = fs.readFileSync(privateKeyFile, 'utf8');
    const signed = run(['sign', '--release-key-file', keyFile, release.metadataFile], { HEARTH_UPDATE_SIGNING_KEY: signingKey });
    expect(signed.stderr).toBe('');
    expect(signed.stdout).toContain('signed');
    const check = verifyUpdateInfo(readMetadata(release.metadataFile), { publicKey, platform: 'linux', currentVersion: '3.0.0' });
    expect(check.ok).toBe(true);
    if (check.ok) expect(await verifyDownloadedFile(release.installer, check.update)).toEqual({ ok: true });
    // Signing twice replaces the signature rather than adding a second one.
    execFileSync(process.execPath, [script, 'sign', '--release-key-file', keyFile, release.metadataFile], { env: { ...process.env, HEARTH_UPDATE_SIGNING_KEY: signingKey } });
    expect(fs.readFileSync(release.metadataFile, 'utf8').match(/hearthSignature:/g)).toHaveLength(1);
    expect(run(['verify', '--release-key-file', keyFile, release.metadataFile]).status).toBe(0);
  });

  it('refuses to sign with a key the app does not trust, and verify catches a wrong signature', async () => {
    const release = await makeSignedRelease();
    releases.push(release);
    const other = await makeSignedRelease();
    releases.push(other);
    const refused = run(['sign', '--public-key', release.keys.publicKey, release.metadataFile], { HEARTH_UPDATE_SIGNING_KEY: other.keys.privateKey });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is not the release key the app trusts');
    const verified = run(['verify', '--public-key', other.keys.publicKey, release.metadataFile]);
    expect(verified.status).toBe(1);
    expect(verified.stderr).toContain('does not match');
  });

  it('needs the secret key in the environment', () => {
    const result = run(['sign', 'release/latest-linux.yml'], { HEARTH_UPDATE_SIGNING_KEY: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('HEARTH_UPDATE_SIGNING_KEY is not set');
  });
});
