/**
 * Several Hearth nodes for tests: one new PostgreSQL database, one Redis and one data directory
 * (uploads) shared by all, each node on its own port, behind a {@link FrontDoor} that routes
 * like the nginx config in docs/deployment.md (node n's public URL is `<front>/node/n`).
 */
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ServerConfigInput } from '../config.js';
import { startFrontDoor, type FrontDoor } from './front-door.js';
import { postgresMissing, startTestPostgres, type TestPostgres } from './postgres.js';
import { redisMissing, startTestRedis, type TestRedis } from './redis.js';
import { makeTempDataDir, startTestServer, type TestServer } from './server.js';

/** A node as tests reach it directly (`direct`, bypassing the front door). */
export interface TestNode extends TestServer {
  /** The node's own listening address, e.g. http://127.0.0.1:41237. */
  direct: string;
}

export interface TestCluster {
  nodes: TestNode[];
  front: FrontDoor;
  /** Stops every node still running and the front door. */
  close(): Promise<void>;
}

/** The private PostgreSQL and Redis of one test file, and what each test asks to undo after it. */
export interface ClusterBackends {
  postgres: TestPostgres;
  redis: TestRedis;
  /** Run in reverse order after each test. */
  cleanups: (() => Promise<void> | void)[];
}

/**
 * Why suites of several nodes cannot run on this machine (they need Redis and PostgreSQL), or
 * undefined when they run: give it to `skipWhenMissing` (requirements.ts) in their `describe`.
 */
export const clusterMissing = [redisMissing, postgresMissing].filter((note) => note !== undefined).join(' ') || undefined;

/**
 * Starts a private PostgreSQL and Redis for the calling test file (vitest hooks), runs the
 * registered cleanups after each test (then empties Redis when asked), and stops both at the end.
 * Where {@link clusterMissing} is set the suites using them are skipped, so nothing is started.
 */
export function useClusterBackends(options: { flushRedisAfterEach?: boolean } = {}): ClusterBackends {
  const backends = { cleanups: [] } as unknown as ClusterBackends;
  beforeAll(async () => {
    if (clusterMissing !== undefined) return;
    [backends.postgres, backends.redis] = await Promise.all([startTestPostgres(), startTestRedis()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([backends.postgres?.stop(), backends.redis?.stop()]);
  });
  afterEach(async () => {
    for (const cleanup of backends.cleanups.splice(0).reverse()) await cleanup();
    if (options.flushRedisAfterEach && clusterMissing === undefined) await backends.redis.flush();
  });
  return backends;
}

export async function startTestCluster(
  shared: { postgres: TestPostgres; redis: TestRedis },
  count: number,
  config: ServerConfigInput = {},
): Promise<TestCluster> {
  const database = await shared.postgres.createDatabase();
  const dataDir = makeTempDataDir();
  const front = await startFrontDoor();
  const nodes: TestNode[] = [];
  for (let index = 0; index < count; index++) {
    const started = await startTestServer({
      database, redis: shared.redis.url, dataDir, publicUrl: front.nodeUrl(index), heartbeatIntervalMs: 1000, heartbeatGraceMs: 1000, ...config,
    });
    const direct = `http://127.0.0.1:${(started.server.app.server.address() as AddressInfo).port}`;
    front.setNode(index, direct);
    nodes.push({ ...started, direct });
  }
  return {
    nodes,
    front,
    async close() {
      // Closing is idempotent, so nodes a test already stopped are fine; the data directory goes last.
      for (const node of nodes) await node.server.close();
      await front.close();
      await nodes[0]?.close();
    },
  };
}
