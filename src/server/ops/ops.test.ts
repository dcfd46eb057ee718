/**
 * `GET /readyz` and `GET /metrics` of a single node (SQLite, no Redis). The multi-node checks
 * (Redis among them) are in scale-out.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { GatewayTestClient } from '../test-support/gateway-client.js';
import { createAccount } from '../test-support/gateway-fixtures.js';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /readyz', () => {
  it('is ready when the database answers, and 503 naming the database when it does not', async () => {
    server = await startTestServer();
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: { status: 'ok' } } });

    await server.server.context.store.close();
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    const body = (await notReady.json()) as { status: string; checks: { database: { status: string; error?: string } } };
    expect(body.status).toBe('not_ready');
    expect(body.checks.database.status).toBe('failed');
    expect(body.checks.database.error).toEqual(expect.any(String));
  });
});

describe('GET /metrics', () => {
  it('reports sessions, dispatches, fanout and database latency, and process memory in Prometheus text', async () => {
    server = await startTestServer();
    const empty = await (await fetch(`${server.url}/metrics`)).text();
    expect(empty).toMatch(/^hearth_gateway_sessions 0$/m);
    expect(empty).toMatch(/^# TYPE hearth_gateway_dispatches_total counter$/m);

    const alice = await createAccount(server.server.context, 'alice');
    const { client } = await GatewayTestClient.identified(server.url, alice.token);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toMatch(/^hearth_gateway_sessions 1$/m);
    expect(text).toMatch(/^hearth_gateway_connections 1$/m);
    expect(text).toMatch(/^hearth_db_query_seconds_count\{method="getToken"\} [1-9]\d*$/m);
    expect(text).toMatch(/^hearth_gateway_fanout_seconds_bucket\{le="\+Inf"\} \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
    await client.close();
  });
});
