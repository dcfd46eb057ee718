/**
 * Where updates come from. By default: the release channel fixed at build time (electron-builder's
 * `publish`, written into the app as `app-update.yml`), verified with the release key compiled
 * into the app. An operator who serves updates from their own host says so in a policy file, with
 * the feed's https address *and* the public key its updates are signed with:
 *
 *     { "feedUrl": "https://updates.example.org/hearth/", "publicKey": "<raw Ed25519 key, base64>" }
 *
 * The file is read from a system location first (only an administrator can write there), then
 * from Hearth's user-data folder. Nothing the renderer or a chat server says can change the feed:
 * only a file on this machine can, and whatever can write that file could replace the app itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isPublicKeyText } from './update-signing.js';

/** The policy file's name, in each of {@link updatePolicyFiles}. */
export const UPDATE_POLICY_FILE = 'update-policy.json';

const policySchema = z.strictObject({
  feedUrl: z.url({ protocol: /^https$/, error: 'must be an https:// address' }),
  publicKey: z.string().refine(isPublicKeyText, 'must be a raw Ed25519 public key in base64 (44 characters)'),
});

/** The feed in force and the key its updates must be signed with. */
export type UpdateSource =
  /** The build-time release channel and the compiled-in release key (null: this build has none). */
  | { kind: 'release'; publicKey: string | null }
  | { kind: 'operator'; feedUrl: string; publicKey: string; file: string }
  /** A policy file exists but is wrong: updates stay off rather than fall back to another source. */
  | { kind: 'invalid'; file: string; reason: string };

/** The policy files Hearth reads, most authoritative first. */
export function updatePolicyFiles(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, userData: string): string[] {
  const system =
    platform === 'win32'
      ? path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Hearth', UPDATE_POLICY_FILE)
      : platform === 'darwin'
        ? path.posix.join('/Library/Application Support/Hearth', UPDATE_POLICY_FILE)
        : path.posix.join('/etc/hearth', UPDATE_POLICY_FILE);
  return [system, path.join(userData, UPDATE_POLICY_FILE)];
}

/** Reads the first policy file that exists; without one, the release channel and its key. */
export function loadUpdateSource(files: readonly string[], releaseKey: string | null): UpdateSource {
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return { kind: 'invalid', file, reason: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return { kind: 'invalid', file, reason: 'it is not valid JSON' };
    }
    const parsed = policySchema.safeParse(raw);
    if (!parsed.success) return { kind: 'invalid', file, reason: parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ') };
    return { kind: 'operator', feedUrl: parsed.data.feedUrl, publicKey: parsed.data.publicKey, file };
  }
  return { kind: 'release', publicKey: releaseKey };
}
