/**
 * Accounts: register, login, logout (a Hearth extension in Discord's spirit), and the
 * `authenticate` pre-handler that every other route uses to learn `request.user`.
 */
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';
import { loginRequestSchema, registerRequestSchema, type AuthResponse } from '../../shared/protocol/rest.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import type { UserRecord } from '../store/store.js';
import { UsernameTakenError } from '../store/store.js';
import { hashToken, newToken, parseAuthorization } from '../domain/auth.js';
import { AUTH_BODY_LIMIT } from './json-body.js';
import { DEVICE_HEADER, issueDeviceToken } from './device-tokens.js';
import { signIn } from './password-checks.js';
import { Buckets, sendRateLimited, type RateLimitCounters } from './rate-limit.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set by {@link requireUser}'s hook. */
    user?: UserRecord;
  }
}

/**
 * An `onRequest` hook that authenticates the `Authorization` header (401 otherwise) and sets
 * `request.user`. It runs before the body is read, so a caller without a valid token never
 * costs the server the reading or parsing of one.
 */
export function requireUser(ctx: ServerContext): onRequestAsyncHookHandler {
  return async (request) => {
    request.user = await ctx.auth.authenticate(request.headers.authorization, request.headers['user-agent']);
  };
}

/** The authenticated caller of a route that has the {@link requireUser} hook. */
export function userOf(request: FastifyRequest): UserRecord {
  if (!request.user) throw new HearthError('UNAUTHORIZED');
  return request.user;
}

const usernameTaken = () =>
  invalidFormBody({ username: { code: 'USERNAME_ALREADY_TAKEN', message: 'Username is unavailable. Try adding numbers, letters, underscores _ , or periods.' } });

const invalidLogin = () => {
  const error = { code: 'INVALID_LOGIN', message: 'Login or password is invalid.' };
  return invalidFormBody({ login: error, password: error });
};

/** Issues and stores (as a hash) a new token for the user, with the device token of this client. */
async function issueToken(ctx: ServerContext, userId: string, deviceToken: string): Promise<AuthResponse> {
  const token = newToken(userId);
  await ctx.store.addToken(hashToken(token), userId, Date.now());
  return { token, user_id: userId, device_token: deviceToken };
}

async function register(ctx: ServerContext, body: unknown): Promise<AuthResponse> {
  const input = parseBody(registerRequestSchema, body);
  if (await ctx.store.getUserByUsername(input.username)) throw usernameTaken();
  const passwordHash = await ctx.passwords.hash(input.password);
  const user: UserRecord = {
    id: ctx.ids.next(),
    username: input.username,
    globalName: input.global_name ?? null,
    avatar: null,
    bot: false,
    passwordHash,
    createdAt: Date.now(),
  };
  try {
    await ctx.store.createUser(user);
  } catch (error) {
    // Two registrations raced for the same name; the store's unique key decided.
    if (error instanceof UsernameTakenError) throw usernameTaken();
    throw error;
  }
  return issueToken(ctx, user.id, issueDeviceToken(user.id, passwordHash));
}

export function registerAuthRoutes(api: FastifyInstance, ctx: ServerContext, counters: RateLimitCounters): void {
  // Anyone may call these two, so their bodies are capped far below the API's default.
  const open = { bodyLimit: AUTH_BODY_LIMIT };
  api.post('/auth/register', { ...open, config: { rateLimit: Buckets.register } }, async (request, reply) => {
    return reply.code(201).send(await register(ctx, request.body));
  });

  api.post('/auth/login', { ...open, config: { rateLimit: Buckets.login } }, async (request, reply) => {
    const input = parseBody(loginRequestSchema, request.body);
    const result = await signIn(ctx, counters, { ...input, address: request.ip, deviceToken: request.headers[DEVICE_HEADER] });
    if (result.outcome === 'throttled') return sendRateLimited(reply, result.retryAfterMs, { scope: 'user' });
    if (result.outcome === 'refused') throw invalidLogin();
    return issueToken(ctx, result.user.id, result.deviceToken);
  });

  api.post('/auth/logout', { config: { rateLimit: Buckets.logout }, onRequest: requireUser(ctx) }, async (request, reply) => {
    const parsed = parseAuthorization(request.headers.authorization);
    if (parsed) {
      const tokenHash = hashToken(parsed.token);
      await ctx.store.deleteToken(tokenHash);
      // Gateway sessions signed in with this token end too, on whichever node holds them.
      ctx.events.publishControl({ kind: 'tokens-revoked', tokenHashes: [tokenHash] });
    }
    return reply.code(204).send();
  });
}
