/**
 * Access tokens and who they belong to, for REST and the gateway alike: the token format, and the
 * one {@link Authenticator} that resolves tokens, notes their use and expires unused sign-ins.
 *
 * A token is 32+ random bytes, given to the client once and stored only as a SHA-256 hash. Like
 * Discord's, it starts with the base64 user ID so a bot library can read its ID.
 */
import { createHash, randomBytes } from 'node:crypto';
import { HearthError } from '../../shared/errors.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { EventBus } from '../bus/events.js';
import type { Logger } from '../logger.js';
import type { Store, TokenRecord, UserRecord } from '../store/store.js';
import { clientFromUserAgent, type ClientInfo } from './client-info.js';

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

/** How often one node writes a token's use at most: "last used" is approximate, as Discord's `approx_last_used_time`. */
export const TOKEN_USE_INTERVAL_MS = 5 * 60_000;

/** The ID a sign-in goes by in the sessions list and READY (`id_hash`, `auth_session_id_hash`); never the token's own hash. */
export function authSessionIdHash(tokenHash: string): string {
  return createHash('sha256').update(`auth-session:${tokenHash}`).digest('base64url');
}

export interface AuthenticatorOptions {
  /** User sign-ins unused for this long stop working (0: never); bot tokens do not expire. */
  inactivityExpiryMs: number;
  /** Where a revoked token is announced, so its gateway sessions close with 4004 on every node. */
  events: Pick<EventBus, 'publishControl'>;
  logger: Logger;
  now?: () => number;
}

/** Where a token is used from: what an IDENTIFY says (it replaces what was recorded), or a User-Agent (kept only until a better source speaks). */
type ClientSource = { identify: ClientInfo } | { userAgent: string | undefined } | undefined;

/**
 * Resolves tokens to their users: the one rule REST and the gateway share. Every use is noted in
 * the store (at most every {@link TOKEN_USE_INTERVAL_MS} per token and node, never a write per
 * request) with the client it came from, for the sessions list and the inactivity expiry.
 */
export class Authenticator {
  /** When this node last wrote each token's use. */
  private readonly writtenAt = new Map<string, number>();
  private nextPrune = 0;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly options: AuthenticatorOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Resolves an `Authorization` header to its user (401 otherwise). A bot token sent without
   * `Bot `, or a user token with it, is refused like a bad one.
   */
  async authenticate(authorization: string | undefined, userAgent?: string): Promise<UserRecord> {
    const parsed = parseAuthorization(authorization);
    if (!parsed) throw new HearthError('UNAUTHORIZED');
    const user = await this.resolve(hashToken(parsed.token), { userAgent });
    if (!user || user.bot !== parsed.bot) throw new HearthError('UNAUTHORIZED');
    return user;
  }

  /**
   * Resolves a gateway IDENTIFY/RESUME token to its user, bot or not (4004 otherwise). Bot
   * libraries (discord.js) send the raw token there, without `Bot `, so an optional `Bot ` prefix
   * is stripped and the account kind is not checked against it (unlike {@link authenticate}).
   */
  async authenticateGatewayToken(token: string, client?: ClientInfo): Promise<UserRecord> {
    const raw = gatewayToken(token);
    if (raw.length === 0) throw new HearthError('INVALID_AUTH_TOKEN');
    const user = await this.resolve(hashToken(raw), client && { identify: client });
    if (!user) throw new HearthError('INVALID_AUTH_TOKEN');
    return user;
  }

  /** A gateway session's token is still in use (it heartbeats); written at most every interval. */
  noteUse(tokenHash: string): void {
    const now = this.now();
    if (now - (this.writtenAt.get(tokenHash) ?? Number.NEGATIVE_INFINITY) < TOKEN_USE_INTERVAL_MS) return;
    void this.write(tokenHash, now);
  }

  private async resolve(tokenHash: string, source: ClientSource): Promise<UserRecord | undefined> {
    const token = await this.store.getToken(tokenHash);
    const user = token && (await this.store.getUser(token.userId));
    if (!token || !user) return undefined;
    const now = this.now();
    if (!user.bot && this.expired(token, now)) {
      await this.store.deleteToken(tokenHash);
      this.options.events.publishControl({ kind: 'tokens-revoked', tokenHashes: [tokenHash] });
      return undefined;
    }
    const client = clientToRecord(token, source);
    const last = Math.max(this.writtenAt.get(tokenHash) ?? Number.NEGATIVE_INFINITY, token.lastUsedAt ?? Number.NEGATIVE_INFINITY);
    if (client || now - last >= TOKEN_USE_INTERVAL_MS) await this.write(tokenHash, now, client);
    return user;
  }

  private expired(token: TokenRecord, now: number): boolean {
    const { inactivityExpiryMs } = this.options;
    return inactivityExpiryMs > 0 && now - (token.lastUsedAt ?? token.createdAt) > inactivityExpiryMs;
  }

  /** Records a use; a failed write costs only the "last used" precision, never the request. */
  private async write(tokenHash: string, now: number, client?: ClientInfo): Promise<void> {
    this.writtenAt.set(tokenHash, now);
    this.prune(now);
    try {
      await this.store.recordTokenUse(tokenHash, client ? { at: now, client } : { at: now });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'recording a token use failed');
    }
  }

  /** Forgets write times older than the interval (they no longer hold a write back). */
  private prune(now: number): void {
    if (now < this.nextPrune) return;
    this.nextPrune = now + TOKEN_USE_INTERVAL_MS;
    for (const [tokenHash, at] of this.writtenAt) if (now - at >= TOKEN_USE_INTERVAL_MS) this.writtenAt.delete(tokenHash);
  }
}

/** The client to record for this use, if it says something new. */
function clientToRecord(token: TokenRecord, source: ClientSource): ClientInfo | undefined {
  if (!source) return undefined;
  if ('identify' in source) {
    const { os, platform } = source.identify;
    return os === token.clientOs && platform === token.clientPlatform ? undefined : source.identify;
  }
  if (token.clientOs !== null || token.clientPlatform !== null) return undefined;
  return clientFromUserAgent(source.userAgent);
}
