/**
 * Access tokens and who they belong to, for REST and the gateway alike.
 *
 * A token is 32+ random bytes, given to the client once and stored only as a SHA-256 hash. Like
 * Discord's, it starts with the base64 user ID so a bot library can read its ID.
 */
import { createHash, randomBytes } from 'node:crypto';
import { HearthError } from '../../shared/errors.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { Store, UserRecord } from '../store/store.js';

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

/** A gateway token without the optional `Bot ` prefix (see {@link Authenticator.authenticateGatewayToken}). */
function gatewayToken(token: string): string {
  return token.trim().replace(/^Bot\s+/, '');
}

/** The stored form of a gateway IDENTIFY token (a session remembers it to end when it is revoked). */
export function gatewayTokenHash(token: string): string {
  return hashToken(gatewayToken(token));
}

/** Resolves tokens to their users: the one rule REST and the gateway share. */
export class Authenticator {
  constructor(private readonly store: Store) {}

  /**
   * Resolves an `Authorization` header to its user (401 otherwise). A bot token sent without
   * `Bot `, or a user token with it, is refused like a bad one.
   */
  async authenticate(authorization: string | undefined): Promise<UserRecord> {
    const parsed = parseAuthorization(authorization);
    if (!parsed) throw new HearthError('UNAUTHORIZED');
    const user = await this.userOfTokenHash(hashToken(parsed.token));
    if (!user || user.bot !== parsed.bot) throw new HearthError('UNAUTHORIZED');
    return user;
  }

  /**
   * Resolves a gateway IDENTIFY/RESUME token to its user, bot or not (4004 otherwise). Bot
   * libraries (discord.js) send the raw token there, without `Bot `, so an optional `Bot ` prefix
   * is stripped and the account kind is not checked against it (unlike {@link authenticate}).
   */
  async authenticateGatewayToken(token: string): Promise<UserRecord> {
    const raw = gatewayToken(token);
    if (raw.length === 0) throw new HearthError('INVALID_AUTH_TOKEN');
    const user = await this.userOfTokenHash(hashToken(raw));
    if (!user) throw new HearthError('INVALID_AUTH_TOKEN');
    return user;
  }

  private async userOfTokenHash(tokenHash: string): Promise<UserRecord | undefined> {
    const userId = await this.store.getUserIdByToken(tokenHash);
    return userId === undefined ? undefined : this.store.getUser(userId);
  }
}
