/**
 * Known devices (OWASP's "device cookies"): every successful sign-in returns a `device_token`,
 * which the client keeps across sign-outs and sends as `X-Hearth-Device` with its next sign-ins.
 * A password guess carrying a valid device token of the account counts against that device
 * only, so someone exhausting the account's allowance from elsewhere does not lock its owner out
 * of the devices they already use.
 *
 * Stateless: a token is a random device ID and an HMAC of it and the user ID, keyed by the
 * account's stored password hash — secret to the server, different for every account, the same
 * on every node, and replaced by a password change (which makes every device unknown again).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DEVICE_TOKEN_HEADER } from '../../shared/protocol/rest.js';

/** The request header a client sends its device token in, as Node names it (lowercase). */
export const DEVICE_HEADER = DEVICE_TOKEN_HEADER.toLowerCase();

const TOKEN_PATTERN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

function mac(deviceId: string, userId: string, passwordHash: string): Buffer {
  return createHmac('sha256', passwordHash).update(`hearth-device:${userId}:${deviceId}`).digest();
}

/** A new device token for the account (its password hash as stored now). */
export function issueDeviceToken(userId: string, passwordHash: string): string {
  const deviceId = randomBytes(16).toString('base64url');
  return `${deviceId}.${mac(deviceId, userId, passwordHash).toString('base64url')}`;
}

/** The device ID of a token the account issued (and whose password has not changed since), else undefined. */
export function knownDeviceId(token: unknown, userId: string, passwordHash: string): string | undefined {
  if (typeof token !== 'string') return undefined;
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return undefined;
  const [, deviceId = '', macText = ''] = match;
  const expected = mac(deviceId, userId, passwordHash);
  return timingSafeEqual(Buffer.from(macText, 'base64url'), expected) ? deviceId : undefined;
}
