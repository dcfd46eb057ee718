/**
 * Accounts: register, login, logout (a Hearth extension in Discord's spirit), and the
 * `authenticate` pre-handler that every other route uses to learn `request.user`.
 */
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';
import { loginRequestSchema, registerRequestSchema, type AuthResponse } from '../../shared/protocol/rest.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import type { UserRecord } from '../store/store.js';
import { UsernameTakenError } from '../store/store.js';
import { hashToken, newToken, parseAuthorization } from '../domain/auth.js';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import {
  Buckets, LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_IP, LOGIN_FAILURE_WINDOW_MS, sendRateLimited, type RateLimitCounters,
} from './rate-limit.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set by {@link requireUser}'s pre-handler. */
    user?: UserRecord;
  }
}

/** A pre-handler that authenticates the `Authorization` header (401 otherwise) and sets `request.user`. */
export function requireUser(ctx: ServerContext): preHandlerAsyncHookHandler {
  return async (request) => {
    request.user = await ctx.auth.authenticate(request.headers.authorization, request.headers['user-agent']);
  };
}

/** The authenticated caller of a route that has the {@link requireUser} pre-handler. */
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

/** Issues and stores (as a hash) a new token for the user. */
async function issueToken(ctx: ServerContext, userId: string): Promise<AuthResponse> {
  const token = newToken(userId);
  await ctx.store.addToken(hashToken(token), userId, Date.now());
  return { token, user_id: userId };
}

async function register(ctx: ServerContext, body: unknown): Promise<AuthResponse> {
  const input = parseBody(registerRequestSchema, body);
  if (await ctx.store.getUserByUsername(input.username)) throw usernameTaken();
  const user: UserRecord = {
    id: ctx.ids.next(),
    username: input.username,
    globalName: input.global_name ?? null,
    avatar: null,
    bot: false,
    passwordHash: await hashPassword(input.password),
    createdAt: Date.now(),
  };
  try {
    await ctx.store.createUser(user);
  } catch (error) {
    // Two registrations raced for the same name; the store's unique key decided.
    if (error instanceof UsernameTakenError) throw usernameTaken();
    throw error;
  }
  return issueToken(ctx, user.id);
}

/** Checks the password; accounts without one (bots) cost a decoy check so timing tells nothing. */
async function passwordMatches(user: UserRecord, password: string): Promise<boolean> {
  if (user.passwordHash) return verifyPassword(password, user.passwordHash);
  await verifyPassword(password, await decoyPasswordHash());
  return false;
}

export function registerAuthRoutes(api: FastifyInstance, ctx: ServerContext, counters: RateLimitCounters): void {
  api.post('/auth/register', { config: { rateLimit: Buckets.register } }, async (request, reply) => {
    return reply.code(201).send(await register(ctx, request.body));
  });

  api.post('/auth/login', { config: { rateLimit: Buckets.login } }, async (request, reply) => {
    const input = parseBody(loginRequestSchema, request.body);
    const now = Date.now();
    const accountKey = `login-fail:account:${input.login.toLowerCase()}`;
    const ipKey = `login-fail:ip:${request.ip}`;
    const [account, ip] = await Promise.all([counters.peek(accountKey, now), counters.peek(ipKey, now)]);
    for (const [window, limit] of [[account, LOGIN_FAILURES_PER_ACCOUNT], [ip, LOGIN_FAILURES_PER_IP]] as const) {
      if (window && window.count >= limit) return sendRateLimited(reply, window.resetAt - now, { scope: 'user' });
    }
    const user = await ctx.store.getUserByUsername(input.login);
    // Unknown users also pay for one scrypt, so response times do not reveal which names exist.
    if (!user) await verifyPassword(input.password, await decoyPasswordHash());
    if (!user || !(await passwordMatches(user, input.password))) {
      await Promise.all([counters.hit(accountKey, LOGIN_FAILURE_WINDOW_MS, now), counters.hit(ipKey, LOGIN_FAILURE_WINDOW_MS, now)]);
      throw invalidLogin();
    }
    await counters.clear(accountKey);
    return issueToken(ctx, user.id);
  });

  api.post('/auth/logout', { config: { rateLimit: Buckets.logout }, preHandler: requireUser(ctx) }, async (request, reply) => {
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
