/**
 * Signed update metadata. electron-builder writes `latest*.yml` (version, installer files and
 * their sha512); the release workflow signs what matters in it with Ed25519 and adds the signature
 * as one more field, `hearthSignature`. The app accepts an update only when that signature
 * verifies against a public key it trusts, the version is newer than its own, the metadata is
 * for its platform, and the downloaded file's sha512 is one the signature covers.
 *
 * Runs in Node only (`node:crypto`): the app's main process, the signing script
 * (`scripts/update-signing.mjs`) and the tests share this one definition of what is signed.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';

/** The metadata field that carries the signature (base64). */
export const SIGNATURE_FIELD = 'hearthSignature';
/** Names the layout of the signed message, so a future layout can never be read as this one. */
const MESSAGE_FORMAT = 'hearth-update-v1';
/** A raw Ed25519 public key is 32 bytes: 44 characters of base64. */
const PUBLIC_KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

/** One installer or archive as the metadata lists it. */
export interface UpdateFile {
  url: string;
  sha512: string;
  size: number | null;
}

/** What a verified update promises: its version and the files (by sha512) that may be installed. */
export interface VerifiedUpdate {
  version: string;
  files: UpdateFile[];
}

export type UpdateCheck = { ok: true; update: VerifiedUpdate } | { ok: false; reason: string };

/** True for a raw Ed25519 public key in base64, the form Hearth pins keys in. */
export function isPublicKeyText(text: unknown): text is string {
  return typeof text === 'string' && PUBLIC_KEY_PATTERN.test(text);
}

/** A new key pair: the public key (raw, base64) to compile in, the private key (PKCS#8 DER, base64) to keep secret. */
export function generateSigningKeys(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: rawPublicKey(publicKey), privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') };
}

/** The raw public key (base64) of a private key given as PKCS#8 DER in base64. */
export function publicKeyOf(privateKeyText: string): string {
  return rawPublicKey(createPublicKey(privateKeyFrom(privateKeyText)));
}

/** A short, stable name for a key to show people: the first 16 hex digits of its sha256. */
export function keyFingerprint(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 16).replace(/(.{4})(?=.)/g, '$1 ');
}

/** Which platform a `latest*.yml` serves, from its file name (electron-builder's naming). */
export function platformOfMetadataFile(fileName: string): NodeJS.Platform | null {
  if (/^latest(-[a-z0-9]+)?\.yml$/.test(fileName) === false) return null;
  if (fileName === 'latest.yml') return 'win32';
  if (fileName.startsWith('latest-mac')) return 'darwin';
  if (fileName.startsWith('latest-linux')) return 'linux';
  return null;
}

/** Signs parsed update metadata for `platform`; returns the signature (base64) to store in {@link SIGNATURE_FIELD}. */
export function signUpdateInfo(info: unknown, platform: NodeJS.Platform, privateKeyText: string): string {
  const manifest = readManifest(info);
  if (!manifest.ok) throw new Error(`Cannot sign this update metadata: ${manifest.reason}`);
  return sign(null, signedMessage(platform, manifest.update), privateKeyFrom(privateKeyText)).toString('base64');
}

/** What the app expects of an update before it downloads anything. */
export interface UpdateExpectation {
  /** The trusted public key (raw, base64). */
  publicKey: string;
  platform: NodeJS.Platform;
  /** The running version: only newer versions are accepted. */
  currentVersion: string;
}

/** Checks update metadata (as electron-updater parsed it) against the trusted key, and that it is newer; never throws. */
export function verifyUpdateInfo(info: unknown, expected: UpdateExpectation): UpdateCheck {
  const signed = verifyUpdateSignature(info, expected.publicKey, expected.platform);
  if (!signed.ok) return signed;
  const { version } = signed.update;
  const order = compareVersions(version, expected.currentVersion);
  if (order === null) return { ok: false, reason: `The update’s version ${version} is not a valid version.` };
  if (order <= 0) return { ok: false, reason: `The update offers version ${version}, which is not newer than this one (${expected.currentVersion}).` };
  return signed;
}

/** Checks only the signature of update metadata for `platform` (the signing script's self-check); never throws. */
export function verifyUpdateSignature(info: unknown, publicKey: string, platform: NodeJS.Platform): UpdateCheck {
  const manifest = readManifest(info);
  if (!manifest.ok) return manifest;
  const signature = (info as Record<string, unknown>)[SIGNATURE_FIELD];
  if (typeof signature !== 'string' || signature.length === 0) return { ok: false, reason: 'The update is not signed.' };
  let valid: boolean;
  try {
    valid = verify(null, signedMessage(platform, manifest.update), publicKeyFrom(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    valid = false;
  }
  // A signature for another platform's metadata does not verify here either: the platform is in the message.
  return valid ? manifest : { ok: false, reason: 'The update’s signature does not match the signing key Hearth trusts.' };
}

/** Checks that a downloaded file is one the verified update lists (by sha512); never throws. */
export async function verifyDownloadedFile(file: string, update: VerifiedUpdate): Promise<{ ok: true } | { ok: false; reason: string }> {
  let digest: string;
  try {
    digest = await sha512Of(file);
  } catch (error) {
    return { ok: false, reason: `The downloaded update could not be read (${(error as Error).message}).` };
  }
  return update.files.some((f) => f.sha512 === digest)
    ? { ok: true }
    : { ok: false, reason: 'The downloaded file does not match the signed update: it was changed after signing.' };
}

/** The base64 sha512 of a file, as electron-builder writes it into the metadata. */
export function sha512Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    fs.createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('base64')));
  });
}

/**
 * Orders two semantic versions (`1.2.3`, `1.2.3-beta.2`): negative, zero or positive; null when
 * either is not one. Build metadata (`+...`) is ignored, as semver says.
 */
export function compareVersions(a: string, b: string): number | null {
  const left = parseVersion(a);
  const right = parseVersion(b);
  if (!left || !right) return null;
  for (let i = 0; i < 3; i += 1) {
    const diff = (left.core[i] ?? 0) - (right.core[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  // A release is newer than any of its pre-releases.
  if (left.pre.length === 0 || right.pre.length === 0) return Math.sign(right.pre.length - left.pre.length);
  for (let i = 0; i < Math.max(left.pre.length, right.pre.length); i += 1) {
    const x = left.pre[i];
    const y = right.pre[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    if (x === y) continue;
    const xNumeric = /^\d+$/.test(x);
    const yNumeric = /^\d+$/.test(y);
    if (xNumeric && yNumeric) return Math.sign(Number(x) - Number(y));
    if (xNumeric !== yNumeric) return xNumeric ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function parseVersion(text: string): { core: number[]; pre: string[] } | null {
  const match = /^v?(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text);
  if (!match) return null;
  return { core: [Number(match[1]), Number(match[2]), Number(match[3])], pre: match[4] ? match[4].split('.') : [] };
}

/** The fields that are signed, read from metadata; files sorted by URL so the order in the file does not matter. */
function readManifest(info: unknown): UpdateCheck {
  if (typeof info !== 'object' || info === null) return { ok: false, reason: 'The update metadata is missing.' };
  const { version, files } = info as { version?: unknown; files?: unknown };
  if (typeof version !== 'string' || !Array.isArray(files) || files.length === 0) {
    return { ok: false, reason: 'The update metadata has no version or no files.' };
  }
  const list: UpdateFile[] = [];
  for (const file of files as unknown[]) {
    const { url, sha512, size } = (file ?? {}) as { url?: unknown; sha512?: unknown; size?: unknown };
    if (typeof url !== 'string' || typeof sha512 !== 'string' || sha512.length === 0) return { ok: false, reason: 'The update metadata lists a file without its sha512.' };
    list.push({ url, sha512, size: typeof size === 'number' ? size : null });
  }
  list.sort((x, y) => (x.url < y.url ? -1 : x.url > y.url ? 1 : 0));
  return { ok: true, update: { version, files: list } };
}

function signedMessage(platform: NodeJS.Platform, update: VerifiedUpdate): Buffer {
  const files = update.files.map(({ url, sha512, size }) => ({ url, sha512, size }));
  return Buffer.from(JSON.stringify({ format: MESSAGE_FORMAT, platform, version: update.version, files }), 'utf8');
}

function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('Not an Ed25519 key.');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

function publicKeyFrom(publicKey: string): KeyObject {
  if (!isPublicKeyText(publicKey)) throw new Error('Not a raw Ed25519 public key in base64.');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'base64').toString('base64url') }, format: 'jwk' });
}

function privateKeyFrom(privateKeyText: string): KeyObject {
  const key = createPrivateKey({ key: Buffer.from(privateKeyText.trim(), 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('The signing key is not an Ed25519 key.');
  return key;
}
