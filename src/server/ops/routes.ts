/**
 * Operations endpoints outside the API: `GET /readyz` (can this node serve: database and, with
 * several nodes, Redis reachable) and `GET /metrics` (Prometheus text). `/healthz` stays a plain
 * liveness answer that touches nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

/** How long one readiness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

/** A dependency readiness checks, e.g. `{ redis: () => cluster.ping() }`. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

/** One check's result in the `/readyz` body. */
export interface CheckResult {
  status: 'ok' | 'failed';
  error?: string;
}

/** Body of `GET /readyz`: 200 `ready` when every check passed, else 503 `not_ready`. */
export interface ReadinessBody {
  status: 'ready' | 'not_ready';
  checks: Record<string, CheckResult>;
}

async function runCheck(check: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return { status: 'ok' };
  } catch (error) {
    return { status: 'failed', error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** The database check: one indexed lookup of a token hash that cannot exist (a real round trip). */
export function databaseCheck(ctx: Pick<ServerContext, 'store'>): () => Promise<unknown> {
  return () => ctx.store.getToken('readiness-probe');
}

export function registerOpsRoutes(app: FastifyInstance, ctx: ServerContext, checks: ReadinessChecks): void {
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check)] as const));
    const body: ReadinessBody = {
      status: results.every(([, result]) => result.status === 'ok') ? 'ready' : 'not_ready',
      checks: Object.fromEntries(results),
    };
    if (body.status !== 'ready') ctx.logger.warn({ checks: body.checks }, 'readiness check failed');
    return reply.code(body.status === 'ready' ? 200 : 503).header('Cache-Control', 'no-store').send(body);
  });

  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await ctx.metrics.scrape();
    return reply.header('Content-Type', contentType).header('Cache-Control', 'no-store').send(body);
  });
}
