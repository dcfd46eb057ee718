/**
 * Every check of a user's password — signing in, and the current password `PATCH /users/@me`
 * asks for — goes through {@link checkPassword}: the attempt is reserved against its limits
 * (`attempt-limits.ts`) before the hash runs, so parallel guesses cannot outrun the count.
 *
 * - Sign-in counts against the login name and the client's address, or — when the client shows
 *   a device token of the account (`device-tokens.ts`) — against that device only.
 * - The current-password check counts against the account (its own count, so an attacker
 *   guessing at sign-in does not stop its owner from changing the password) and the address.
 * - A correct password resets the account's or device's count and gives the address its attempt
 *   back. A hash made with older parameters is replaced on sign-in.
 */
import type { UserRecord } from '../store/store.js';
import type { ServerContext } from '../context.js';
import type { AttemptKey, AttemptLimits, AttemptPolicy } from './attempt-limits.js';
import { issueDeviceToken, knownDeviceId } from './device-tokens.js';

const MINUTE = 60_000;

/** Guesses at one account (from devices it does not know): 5 back to back, then waits of 1 s, 2 s, 4 s… up to 2 minutes. */
export const ACCOUNT_ATTEMPTS: AttemptPolicy = { free: 5, baseDelayMs: 1000, maxDelayMs: 2 * MINUTE, memoryMs: 15 * MINUTE };
/** Guesses from one address across accounts: 20, then doubling waits up to 15 minutes. */
export const ADDRESS_ATTEMPTS: AttemptPolicy = { free: 20, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, memoryMs: 15 * MINUTE };
/** Guesses from one known device: as for an account, counted apart from it. */
export const DEVICE_ATTEMPTS: AttemptPolicy = ACCOUNT_ATTEMPTS;

/** A key with what a correct password does to it: start over, or give back the one attempt. */
interface CheckKey extends AttemptKey {
  onSuccess: 'clear' | 'release';
}

export type PasswordCheck = { outcome: 'throttled'; retryAfterMs: number } | { outcome: 'checked'; matches: boolean };

/**
 * Reserves one attempt on every key, then (if allowed) checks the password against the stored
 * hash — or against a decoy of the same cost when there is none, so the answer time does not
 * tell which names exist.
 */
async function checkPassword(ctx: ServerContext, limits: AttemptLimits, keys: readonly CheckKey[], password: string, stored: string | null | undefined): Promise<PasswordCheck> {
  const reservation = await limits.reserveAttempt(keys, Date.now());
  if (!reservation.allowed) return { outcome: 'throttled', retryAfterMs: reservation.retryAfterMs };
  const matches = stored ? await ctx.passwords.verify(password, stored) : await ctx.passwords.verifyDecoy(password);
  if (matches) {
    const now = Date.now();
    await Promise.all(keys.map((key) => (key.onSuccess === 'clear' ? limits.clearAttempts(key.key) : limits.releaseAttempt(key, now))));
  }
  return { outcome: 'checked', matches };
}

function addressKey(address: string): CheckKey {
  return { key: `pw:address:${address}`, policy: ADDRESS_ATTEMPTS, onSuccess: 'release' };
}

/** What a sign-in attempt presents. */
export interface SignInAttempt {
  login: string;
  password: string;
  /** The client's address (`request.ip`). */
  address: string;
  /** The `X-Hearth-Device` header, if any. */
  deviceToken: unknown;
}

export type SignInResult =
  | { outcome: 'throttled'; retryAfterMs: number }
  | { outcome: 'refused' }
  | { outcome: 'signed-in'; user: UserRecord; deviceToken: string };

/** Checks a sign-in under the attempt limits; on success upgrades an old hash and issues a device token. */
export async function signIn(ctx: ServerContext, limits: AttemptLimits, attempt: SignInAttempt): Promise<SignInResult> {
  const user = await ctx.store.getUserByUsername(attempt.login);
  const stored = user?.passwordHash ?? null;
  const deviceId = user && stored ? knownDeviceId(attempt.deviceToken, user.id, stored) : undefined;
  const keys: CheckKey[] = deviceId
    ? [{ key: `pw:device:${deviceId}`, policy: DEVICE_ATTEMPTS, onSuccess: 'clear' }]
    : [{ key: `pw:login:${attempt.login.toLowerCase()}`, policy: ACCOUNT_ATTEMPTS, onSuccess: 'clear' }, addressKey(attempt.address)];
  const check = await checkPassword(ctx, limits, keys, attempt.password, stored);
  if (check.outcome === 'throttled') return check;
  if (!check.matches || !user || !stored) return { outcome: 'refused' };
  const passwordHash = ctx.passwords.needsRehash(stored) ? await upgradeHash(ctx, user, attempt.password) : stored;
  return { outcome: 'signed-in', user, deviceToken: issueDeviceToken(user.id, passwordHash) };
}

/** Stores a hash at today's parameters for a password just proven right. */
async function upgradeHash(ctx: ServerContext, user: UserRecord, password: string): Promise<string> {
  const passwordHash = await ctx.passwords.hash(password);
  await ctx.store.updateUser(user.id, { passwordHash });
  return passwordHash;
}

/** Checks the current password a sensitive `PATCH /users/@me` sends, under the attempt limits. */
export function checkCurrentPassword(ctx: ServerContext, limits: AttemptLimits, user: UserRecord, password: string, address: string): Promise<PasswordCheck> {
  const keys: CheckKey[] = [{ key: `pw:change:${user.id}`, policy: ACCOUNT_ATTEMPTS, onSuccess: 'clear' }, addressKey(address)];
  return checkPassword(ctx, limits, keys, password, user.passwordHash);
}

