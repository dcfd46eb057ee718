// Gateway scenarios, orchestrated: each starts the server as its own process, runs the load
// generator in another, and reads the server's memory and CPU from /proc at the load generator's
// phase markers.
import { runLoadgen } from '../lib/loadgen-process.mjs';
import { readCpuMs, readHeapUsedBytes, readRssBytes, RssSampler } from '../lib/proc.mjs';

const MIB = 2 ** 20;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {import('./types.mjs').BenchContext} ctx
 * @param {string} pool
 */
function tokensOf(ctx, pool) {
  const seeded = ctx.pools[pool];
  if (!seeded) throw new Error(`The seed has no "${pool}" pool`);
  return seeded;
}

/**
 * Identify ramp: a fresh server per run; N distinct users IDENTIFY as fast as allowed.
 * @param {import('./types.mjs').BenchContext} ctx
 * @param {{ users: number, concurrency: number }} size
 * @returns {Promise<import('./types.mjs').ScenarioResult>}
 */
export async function runIdentify(ctx, size) {
  const pool = tokensOf(ctx, 'community');
  const runs = [];
  for (let run = 0; run < ctx.runs; run++) {
    const server = await ctx.startServer();
    try {
      const rssBefore = readRssBytes(server.pid);
      /** @type {RssSampler | undefined} */
      let sampler;
      const cpu = { start: 0, ms: 0 };
      const result = await runLoadgen(
        'identify',
        { target: server.url, tokens: pool.tokensFile, count: size.users, concurrency: size.concurrency },
        {
          onPhase: (phase) => {
            if (phase.name === 'ramp-start') {
              sampler = new RssSampler(server.pid);
              cpu.start = readCpuMs(server.pid);
            } else if (phase.name === 'ramp-done') {
              cpu.ms = readCpuMs(server.pid) - cpu.start;
            }
          },
        },
      );
      const rssPeak = sampler?.stop() ?? readRssBytes(server.pid);
      await sleep(ctx.settleMs);
      runs.push({
        identifiesPerSecond: result.achieved.identifiesPerSecond,
        readyP50Ms: result.readyMs.p50,
        readyP99Ms: result.readyMs.p99,
        failedIdentifies: result.achieved.failed,
        // Server CPU per session started: the cost that does not depend on other load on the machine.
        serverCpuMsPerIdentify: cpu.ms / Math.max(1, result.achieved.sessions),
        rssBeforeMiB: rssBefore / MIB,
        rssPeakMiB: rssPeak / MIB,
        rssAfterMiB: readRssBytes(server.pid) / MIB,
      });
      if (result.errors.length > 0) ctx.log(`identify: errors: ${result.errors.join('; ')}`);
    } finally {
      await server.stop();
    }
  }
  return { params: { users: size.users, concurrency: size.concurrency, guildMembers: pool.guilds[0]?.members }, runs };
}

/**
 * Idle capacity: N sessions identified, then held with heartbeats while the server is watched.
 * @param {import('./types.mjs').BenchContext} ctx
 * @param {{ sessions: number, concurrency: number, holdSeconds: number }} size
 * @returns {Promise<import('./types.mjs').ScenarioResult>}
 */
export async function runIdle(ctx, size) {
  const pool = tokensOf(ctx, 'idle');
  const runs = [];
  for (let run = 0; run < ctx.runs; run++) {
    const server = await ctx.startServer();
    try {
      const rssBefore = readRssBytes(server.pid);
      const hold = { cpuMs: 0, at: 0, rssHalf: 0, halfSessions: 0, rssStart: 0, rssEnd: 0, cpuPerSecond: 0, sessions: 0 };
      /** @type {Promise<number | undefined>[]} V8 heap in use at half and at the end of the hold */
      const heapUsed = [];
      const result = await runLoadgen(
        'idle',
        { target: server.url, tokens: pool.tokensFile, count: size.sessions, concurrency: size.concurrency, hold: size.holdSeconds },
        {
          onPhase: (phase) => {
            if (phase.name === 'half-held') {
              hold.rssHalf = readRssBytes(server.pid);
              hold.halfSessions = phase.sessions;
              heapUsed[0] = readHeapUsedBytes(server.url);
            } else if (phase.name === 'holding') {
              hold.cpuMs = readCpuMs(server.pid);
              hold.at = performance.now();
              hold.rssStart = readRssBytes(server.pid);
            } else if (phase.name === 'held') {
              hold.cpuPerSecond = (readCpuMs(server.pid) - hold.cpuMs) / ((performance.now() - hold.at) / 1000);
              hold.rssEnd = readRssBytes(server.pid);
              hold.sessions = phase.sessions;
              heapUsed[1] = readHeapUsedBytes(server.url);
            }
          },
        },
      );
      const [heapHalf, heapEnd] = await Promise.all(heapUsed);
      runs.push({
        sessionsHeld: hold.sessions,
        // What one more session costs: the growth from half the sessions to all of them.
        rssPerSessionKiB: (hold.rssEnd - hold.rssHalf) / Math.max(1, hold.sessions - hold.halfSessions) / 1024,
        // The same growth in V8 heap in use: the JavaScript objects alone, without the unused heap capacity left by the ramp.
        heapUsedPerSessionKiB: heapHalf !== undefined && heapEnd !== undefined ? (heapEnd - heapHalf) / Math.max(1, hold.sessions - hold.halfSessions) / 1024 : undefined,
        // Everything the server grew by, fixed costs included, over all sessions.
        rssGrowthPerSessionKiB: (hold.rssEnd - rssBefore) / Math.max(1, hold.sessions) / 1024,
        serverCpuMsPerSecond: hold.cpuPerSecond,
        rssBeforeMiB: rssBefore / MIB,
        rssHalfMiB: hold.rssHalf / MIB,
        rssHeldMiB: hold.rssEnd / MIB,
        heartbeatsPerSecond: result.achieved.heartbeatsPerSecond,
        identifiesPerSecond: result.achieved.identifiesPerSecond,
        failedIdentifies: result.achieved.failed,
      });
      if (result.errors.length > 0) ctx.log(`idle: errors: ${result.errors.join('; ')}`);
    } finally {
      await server.stop();
    }
  }
  return { params: { sessions: size.sessions, holdSeconds: size.holdSeconds, guildSize: tokensOf(ctx, 'idle').guilds[0]?.members, compression: 'none' }, runs };
}

/**
 * Fanout: all members of one guild online; messages at increasing rates until a step fails.
 * @param {import('./types.mjs').BenchContext} ctx
 * @param {{ members: number, rates: number[], stepSeconds: number, concurrency: number }} size
 * @returns {Promise<import('./types.mjs').ScenarioResult>}
 */
export async function runFanout(ctx, size) {
  const pool = tokensOf(ctx, 'community');
  const server = await ctx.startServer();
  /** @type {{ serverCpuPercent: number, loadgenCpuPercent: number, serverCpuMs: number }[]} */
  const cpuBySteps = [];
  let loadgenPid = 0;
  let last = { at: 0, server: 0, loadgen: 0 };
  const snapshot = () => ({ at: performance.now(), server: readCpuMs(server.pid), loadgen: loadgenPid ? readCpuMs(loadgenPid) : 0 });
  try {
    const result = await runLoadgen(
      'fanout',
      { target: server.url, tokens: pool.tokensFile, channel: pool.guilds[0]?.channelId, count: size.members, rates: size.rates.join(','), step: size.stepSeconds, repeats: ctx.runs, concurrency: size.concurrency },
      {
        onSpawn: (pid) => (loadgenPid = pid),
        onPhase: () => (last = snapshot()),
        onProgress: () => {
          const now = snapshot();
          const wall = now.at - last.at;
          // CPU shares show which side was the limit; CPU per delivery does not depend on other load.
          cpuBySteps.push({ serverCpuPercent: ((now.server - last.server) / wall) * 100, loadgenCpuPercent: ((now.loadgen - last.loadgen) / wall) * 100, serverCpuMs: now.server - last.server });
          last = now;
        },
      },
    );
    const runs = result.runs.map((/** @type {any} */ run) => {
      const at100 = run.steps.find((/** @type {any} */ s) => s.askedRate === 100);
      return {
        highestSustainedRate: run.highestSustainedRate,
        maxDeliveriesPerSecond: Math.max(...run.steps.map((/** @type {any} */ s) => s.deliveriesPerSecond)),
        deliveryP50At100Ms: at100?.deliveryMs.p50,
        deliveryP99At100Ms: at100?.deliveryMs.p99,
      };
    });
    const steps = result.runs.flatMap((/** @type {any} */ run, /** @type {number} */ index) =>
      run.steps.map((/** @type {any} */ s) => ({
        run: index, askedRate: s.askedRate, achievedRate: s.achievedRate, sustained: s.sustained, deliveries: s.deliveries, expectedDeliveries: s.expectedDeliveries,
        deliveriesPerSecond: s.deliveriesPerSecond, deliveryP50Ms: s.deliveryMs.p50, deliveryP99Ms: s.deliveryMs.p99, postP99Ms: s.postMs.p99, rateLimited: s.rateLimited,
      })),
    );
    steps.forEach((/** @type {{ deliveries: number }} */ step, /** @type {number} */ i) => {
      const cpu = cpuBySteps[i];
      if (cpu) Object.assign(step, cpu, { serverCpuUsPerDelivery: (cpu.serverCpuMs * 1000) / Math.max(1, step.deliveries) });
    });
    runs.forEach((/** @type {Record<string, number | undefined>} */ figures, /** @type {number} */ index) => {
      const costs = steps.filter((/** @type {any} */ step) => step.run === index && step.serverCpuUsPerDelivery !== undefined).map((/** @type {any} */ step) => step.serverCpuUsPerDelivery);
      figures.serverCpuUsPerDelivery = costs.length > 0 ? Math.min(...costs) : undefined;
    });
    return { params: { members: result.members, rates: size.rates, stepSeconds: size.stepSeconds, sustainedP99Ms: 50 }, runs, details: { steps } };
  } finally {
    await server.stop();
  }
}

/**
 * End to end: one receiver online, messages posted at a light rate.
 * @param {import('./types.mjs').BenchContext} ctx
 * @param {{ rate: number, seconds: number }} size
 * @returns {Promise<import('./types.mjs').ScenarioResult>}
 */
export async function runEndToEnd(ctx, size) {
  const pool = tokensOf(ctx, 'community');
  const server = await ctx.startServer();
  try {
    const result = await runLoadgen('e2e', { target: server.url, tokens: pool.tokensFile, channel: pool.guilds[0]?.channelId, rate: size.rate, seconds: size.seconds, repeats: ctx.runs });
    const runs = result.runs.map((/** @type {any} */ step) => ({
      deliveryP50Ms: step.deliveryMs.p50,
      deliveryP99Ms: step.deliveryMs.p99,
      postP50Ms: step.postMs.p50,
      postP99Ms: step.postMs.p99,
      askedRate: step.askedRate,
      achievedRate: step.achievedRate,
      lost: step.expectedDeliveries - step.deliveries,
    }));
    return { params: { rate: size.rate, seconds: size.seconds, guildMembers: pool.guilds[0]?.members, online: 1 }, runs };
  } finally {
    await server.stop();
  }
}

/**
 * Resume: a session drops, `missed` events happen, it reconnects and RESUMEs.
 * @param {import('./types.mjs').BenchContext} ctx
 * @param {{ missed: number, resumes: number }} size
 * @returns {Promise<import('./types.mjs').ScenarioResult>}
 */
export async function runResume(ctx, size) {
  const pool = tokensOf(ctx, 'community');
  const server = await ctx.startServer();
  try {
    const runs = [];
    for (let run = 0; run < ctx.runs; run++) {
      const result = await runLoadgen('resume', { target: server.url, tokens: pool.tokensFile, channel: pool.guilds[0]?.channelId, missed: size.missed, repeats: size.resumes });
      runs.push({
        resumedP50Ms: result.resumedMs.p50,
        resumedP99Ms: result.resumedMs.p99,
        replayedMin: result.replayedPerResume.min,
        replayedMax: result.replayedPerResume.max,
      });
    }
    return { params: { missedEvents: size.missed, resumesPerRun: size.resumes }, runs };
  } finally {
    await server.stop();
  }
}

/**
 * Compression: READY plus typical messages, read once plain and once with zlib-stream.
 * @param {import('./types.mjs').BenchContext} ctx
 * @param {{ messages: number }} size
 * @returns {Promise<import('./types.mjs').ScenarioResult>}
 */
export async function runCompression(ctx, size) {
  const pool = tokensOf(ctx, 'community');
  const server = await ctx.startServer();
  try {
    const result = await runLoadgen('compression', { target: server.url, tokens: pool.tokensFile, channel: pool.guilds[0]?.channelId, messages: size.messages, repeats: ctx.runs });
    const runs = result.runs.map((/** @type {{ readyPlainBytes: number, readyZlibBytes: number, messagesPlainBytes: number, messagesZlibBytes: number }} */ r) => ({
      readyPlainKiB: r.readyPlainBytes / 1024,
      readyZlibKiB: r.readyZlibBytes / 1024,
      messagesPlainKiB: r.messagesPlainBytes / 1024,
      messagesZlibKiB: r.messagesZlibBytes / 1024,
      totalSavedPercent: (1 - (r.readyZlibBytes + r.messagesZlibBytes) / (r.readyPlainBytes + r.messagesPlainBytes)) * 100,
    }));
    return { params: { messages: size.messages, guildMembers: pool.guilds[0]?.members }, runs, details: { bytes: result.runs } };
  } finally {
    await server.stop();
  }
}
