// Hostile bodies: rounds of four concurrent 11 MB request bodies sent without a valid token
// (`PATCH /api/v10/users/@me`, the route with the largest body limit), while `/healthz` is asked
// every few milliseconds. The server must refuse them without reading them: its memory must not
// grow by the bodies' size, and `/healthz` must keep answering at once.
import net from 'node:net';
import { readRssBytes, RssSampler } from '../lib/proc.mjs';
import { latencySummary } from '../lib/stats.mjs';

const MIB = 2 ** 20;
const BODY_BYTES = 11 * 1000 * 1000;
const CONCURRENT_BODIES = 4;
const HEALTH_INTERVAL_MS = 5;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes one announced-length body as fast as the connection takes it, until all of it is written
 * or the server hangs up; resolves with the status it answered and the bytes the kernel took.
 * @param {string} baseUrl
 * @returns {Promise<{ status: number, writtenBytes: number }>}
 */
function sendHostileBody(baseUrl) {
  const { port } = new URL(baseUrl);
  const chunk = Buffer.alloc(256 * 1024, 0x20);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let head = '';
    let writtenBytes = 0;
    let open = true;
    socket.on('data', (data) => {
      if (head.length < 64) head += data.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      open = false;
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), writtenBytes });
    });
    socket.write(`PATCH /api/v10/users/@me HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: not-a-token\r\nContent-Type: application/json\r\nContent-Length: ${BODY_BYTES}\r\n\r\n`);
    const pump = () => {
      while (open && writtenBytes < BODY_BYTES) {
        const piece = chunk.subarray(0, Math.min(chunk.length, BODY_BYTES - writtenBytes));
        writtenBytes += piece.length;
        if (!socket.write(piece)) return void socket.once('drain', pump);
      }
      if (open) socket.end();
    };
    pump();
  });
}

/**
 * Asks `/healthz` back to back until `stop()` is called; resolves to each answer's latency (ms).
 * @param {string} baseUrl
 */
function pollHealth(baseUrl) {
  let running = true;
  /** @type {number[]} */
  const latencies = [];
  const done = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/healthz`);
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      await sleep(HEALTH_INTERVAL_MS);
    }
    return latencies;
  })();
  return { stop: () => { running = false; return done; } };
}

/**
 * @param {import('./types.mjs').BenchContext} ctx
 * @param {{ rounds: number }} size
 * @returns {Promise<import('./types.mjs').ScenarioResult>}
 */
export async function runBodies(ctx, size) {
  const runs = [];
  for (let run = 0; run < ctx.runs; run++) {
    const server = await ctx.startServer();
    try {
      const idle = pollHealth(server.url);
      await sleep(200);
      const idleLatencies = await idle.stop();
      const rssBefore = readRssBytes(server.pid);
      const sampler = new RssSampler(server.pid, 10);
      const busy = pollHealth(server.url);
      /** @type {{ status: number, writtenBytes: number }[]} */
      const bodies = [];
      for (let round = 0; round < size.rounds; round++) {
        bodies.push(...(await Promise.all(Array.from({ length: CONCURRENT_BODIES }, () => sendHostileBody(server.url)))));
      }
      const busyLatencies = await busy.stop();
      const rssPeak = sampler.stop();
      const idleSummary = latencySummary(idleLatencies);
      const busySummary = latencySummary(busyLatencies);
      runs.push({
        rssGrowthMiB: (rssPeak - rssBefore) / MIB,
        rssPeakMiB: rssPeak / MIB,
        healthzIdleP50Ms: idleSummary.p50,
        healthzP50Ms: busySummary.p50,
        healthzMaxMs: busySummary.max,
        healthzAnswers: busySummary.count,
        // 401 for a made-up token, or 429 once that token's bucket (10 per 10 s) is spent: refused either way, unread.
        refused: bodies.filter((b) => b.status === 401 || b.status === 429).length,
        // What the kernel took from the sender before the server hung up, per body (socket buffers, not the server's reads).
        writtenPerBodyMiB: bodies.reduce((sum, b) => sum + b.writtenBytes, 0) / bodies.length / MIB,
      });
    } finally {
      await server.stop();
    }
  }
  return { params: { concurrentBodies: CONCURRENT_BODIES, bodyBytes: BODY_BYTES, rounds: size.rounds }, runs };
}
