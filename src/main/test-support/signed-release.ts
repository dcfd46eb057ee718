/**
 * Real release files for update tests: an installer of random bytes, the `latest-linux.yml`
 * electron-builder would write for it, signed with a fresh Ed25519 key exactly as the release
 * workflow signs (the same code), and read back with the YAML parser electron-updater uses.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { SIGNATURE_FIELD, generateSigningKeys, sha512Of, signUpdateInfo } from '../update-signing.js';

export interface SignedRelease {
  dir: string;
  /** The release key pair (public: raw base64; private: PKCS#8 base64). */
  keys: { publicKey: string; privateKey: string };
  /** The installer on disk, as electron-updater would have downloaded it. */
  installer: string;
  /** The metadata file and its parsed content (what electron-updater hands to `update-available`). */
  metadataFile: string;
  info: Record<string, unknown>;
}

export interface ReleaseOptions {
  version?: string;
  /** Sign with this private key instead of the release's own (a wrong signature). */
  signWith?: string;
  /** Leave the metadata unsigned. */
  unsigned?: boolean;
  platform?: NodeJS.Platform;
}

/** Writes a signed release into a new temporary directory; remove it with {@link removeRelease}. */
export async function makeSignedRelease(options: ReleaseOptions = {}): Promise<SignedRelease> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-release-'));
  const keys = generateSigningKeys();
  const version = options.version ?? '2.0.0';
  const name = `Hearth-${version}-x86_64.AppImage`;
  const installer = path.join(dir, name);
  fs.writeFileSync(installer, randomBytes(64 * 1024));
  const sha512 = await sha512Of(installer);
  const size = fs.statSync(installer).size;
  const metadata: Record<string, unknown> = {
    version,
    files: [{ url: name, sha512, size, blockMapSize: 1234 }],
    path: name,
    sha512,
    releaseDate: '2026-05-01T10:00:00.000Z',
  };
  if (!options.unsigned) metadata[SIGNATURE_FIELD] = signUpdateInfo(metadata, options.platform ?? 'linux', options.signWith ?? keys.privateKey);
  const metadataFile = path.join(dir, 'latest-linux.yml');
  fs.writeFileSync(metadataFile, yaml.dump(metadata, { lineWidth: -1 }));
  return { dir, keys, installer, metadataFile, info: readMetadata(metadataFile) };
}

/** Parses a `latest*.yml` as electron-updater does (js-yaml). */
export function readMetadata(file: string): Record<string, unknown> {
  return yaml.load(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export function removeRelease(release: SignedRelease): void {
  fs.rmSync(release.dir, { recursive: true, force: true });
}

/**
 * The settings electron-updater's autoUpdater has, at electron-updater's defaults, for stand-ins
 * of it: tests check that Hearth turns automatic download and install off.
 */
export class UpdaterSettings extends EventEmitter {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  allowDowngrade = true;
  disableWebInstaller = false;
  logger: unknown = null;
}
