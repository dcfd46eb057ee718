/**
 * The user's sign-ins, as Discord's client API has them: `GET /auth/sessions` lists them (most
 * recently used first), `POST /auth/sessions/logout` ends some, revoking their tokens and closing
 * their gateway sessions with 4004 on whichever node holds them. Bots have one token and no
 * sessions list (20001).
 */
import type { FastifyInstance } from 'fastify';
import { HearthError } from '../../shared/errors.js';
import { logoutSessionsSchema, type AuthSession, type AuthSessionsResponse } from '../../shared/protocol/rest.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import { authSessionIdHash } from '../domain/auth.js';
import type { TokenRecord, UserRecord } from '../store/store.js';
import { requireUser, userOf } from './auth.js';
import { Buckets } from './rate-limit.js';

/** Discord lists up to 50 sessions. */
const MAX_LISTED = 50;

function toAuthSession(token: TokenRecord): AuthSession {
  return {
    id_hash: authSessionIdHash(token.tokenHash),
    approx_last_used_time: new Date(token.lastUsedAt ?? token.createdAt).toISOString(),
    client_info: { os: token.clientOs, platform: token.clientPlatform, location: null },
    created_at: new Date(token.createdAt).toISOString(),
  };
}

function humanOnly(user: UserRecord): UserRecord {
  if (user.bot) throw new HearthError('BOTS_CANNOT_USE_ENDPOINT');
  return user;
}

export function registerSessionRoutes(api: FastifyInstance, ctx: ServerContext): void {
  const auth = requireUser(ctx);

  api.get('/auth/sessions', { onRequest: auth, config: { rateLimit: Buckets.userRead } }, async (request): Promise<AuthSessionsResponse> => {
    const user = humanOnly(userOf(request));
    const tokens = await ctx.store.listTokensOfUser(user.id);
    return { user_sessions: tokens.slice(0, MAX_LISTED).map(toAuthSession) };
  });

  api.post('/auth/sessions/logout', { onRequest: auth, config: { rateLimit: Buckets.userWrite } }, async (request, reply) => {
    const user = humanOnly(userOf(request));
    const wanted = new Set(parseBody(logoutSessionsSchema, request.body).session_id_hashes);
    const ended = (await ctx.store.listTokensOfUser(user.id)).filter((token) => wanted.has(authSessionIdHash(token.tokenHash)));
    for (const token of ended) await ctx.store.deleteToken(token.tokenHash);
    if (ended.length > 0) ctx.events.publishControl({ kind: 'tokens-revoked', tokenHashes: ended.map((token) => token.tokenHash) });
    return reply.code(204).send();
  });
}
