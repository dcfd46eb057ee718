import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './support.js';

const serverEntry = path.resolve(import.meta.dirname, '../../dist/server/index.js');

/** Runs the built server's command line to completion. */
function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [serverEntry, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
}

async function register(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/api/v10/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'correct horse battery' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

describe('the built server (node dist/server/index.js)', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('lists every option with --help', () => {
    const result = runCli(['--help']);
    expect(result.status).toBe(0);
    for (const flag of ['--host', '--port', '--data-dir', '--public-url', '--log-level']) expect(result.stdout).toContain(flag);
    for (const env of ['HEARTH_HOST', 'HEARTH_PORT', 'HEARTH_DATA_DIR', 'HEARTH_PUBLIC_URL', 'HEARTH_LOG_LEVEL']) expect(result.stdout).toContain(env);
  });

  it('stops at start-up on an invalid value, naming the option', () => {
    const flag = runCli(['--port', 'many']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/--port \(HEARTH_PORT\)/);
    const env = runCli([], { HEARTH_LOG_LEVEL: 'chatty' });
    expect(env.status).toBe(2);
    expect(env.stderr).toMatch(/--log-level \(HEARTH_LOG_LEVEL\)/);
  });

  it('says clearly when its port is taken, and exits', async () => {
    server = await startServer();
    const port = new URL(server.url).port;
    const result = runCli(['--port', port, '--data-dir', `${server.dataDir}-second`]);
    fs.rmSync(`${server.dataDir}-second`, { recursive: true, force: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port}: it is already in use`);
  });

  it('shuts down on SIGTERM: tells clients to reconnect, closes resumably, keeps the data', async () => {
    server = await startServer();
    const token = await register(server.url, 'shutdown_tester');
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/gateway?v=10&encoding=json`);
    const received: number[] = [];
    const ready = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const payload = JSON.parse(data.toString()) as { op: number; t: string | null };
        received.push(payload.op);
        if (payload.op === 10) socket.send(JSON.stringify({ op: 2, d: { token, properties: { os: 'linux', browser: 'e2e' } } }));
        if (payload.t === 'READY') resolve();
      });
    });
    await ready;
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    const exited = new Promise<number | null>((resolve) => server!.process.once('exit', (code) => resolve(code)));
    server.process.kill('SIGTERM');
    const code = await closed;
    expect(received).toContain(7);
    expect(code).toBeGreaterThanOrEqual(4000);
    expect([4004, 4010, 4011, 4012, 4013, 4014]).not.toContain(code);
    expect(await exited).toBe(0);
    // The database was closed cleanly: no write-ahead log left to replay.
    const wal = path.join(server.dataDir, 'hearth.db-wal');
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);

    const dataDir = server.dataDir;
    await server.stop({ keepData: true });
    server = await startServer({ dataDir });
    const login = await fetch(`${server.url}/api/v10/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'shutdown_tester', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
  });
});
