/**
 * Gateway discovery, as Discord: `GET /gateway` → `{url}` (no authentication) and
 * `GET /gateway/bot` → `{url, shards, session_start_limit}` for bots. Clients append
 * `?v=10&encoding=json` (and optionally `&compress=zlib-stream`) to the URL.
 */
import type { FastifyInstance } from 'fastify';
import { HearthError } from '../../shared/errors.js';
import type { ServerContext } from '../context.js';
import { gatewayUrl } from '../gateway/ready.js';
import type { SessionStartLimit } from '../gateway/limits.js';
import { requireUser, userOf } from './auth.js';
import { Buckets } from './rate-limit.js';

/** `GET /gateway/bot`. Hearth runs one shard per node. */
export interface GatewayBotResponse {
  url: string;
  shards: number;
  session_start_limit: SessionStartLimit;
}

export function registerGatewayRoutes(api: FastifyInstance, ctx: ServerContext): void {
  api.get('/gateway', async () => ({ url: gatewayUrl(ctx.baseUrl()) }));

  api.get('/gateway/bot', { config: { rateLimit: Buckets.userRead }, onRequest: requireUser(ctx) }, async (request): Promise<GatewayBotResponse> => {
    const user = userOf(request);
    if (!user.bot) throw new HearthError('ONLY_BOTS_CAN_USE_ENDPOINT');
    return { url: gatewayUrl(ctx.baseUrl()), shards: 1, session_start_limit: await ctx.sessionStarts.describe(user.id) };
  });
}
