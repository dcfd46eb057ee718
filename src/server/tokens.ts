/**
 * Access tokens: 32+ random bytes, given to the client once, stored only as a SHA-256 hash.
 * Like Discord's, a token starts with the base64 user ID so a bot library can read its ID.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Snowflake } from '../shared/snowflake.js';

/** A new token for the user: `base64url(userId).base64url(32 random bytes)`. */
export function newToken(userId: Snowflake): string {
  return `${Buffer.from(userId).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
}

/** The form a token is stored and looked up in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Parses an `Authorization` header value: `<token>` for users, `Bot <token>` for bots. */
export function parseAuthorization(header: string | undefined): { token: string; bot: boolean } | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (value.startsWith('Bot ')) return { token: value.slice(4).trim(), bot: true };
  if (value.startsWith('Bearer ')) return undefined;
  return value.length > 0 ? { token: value, bot: false } : undefined;
}
