// Session scenarios: the identify ramp (distinct users IDENTIFY as fast as the server allows) and
// idle capacity (identified sessions held with heartbeats while the server is watched).
import { latencySummary } from '../../lib/stats.mjs';
import { connectTarget, identifySession, mapLimit, report, sleep } from '../common.mjs';

/**
 * Identifies `count` sessions, one per token, at most `concurrency` handshakes at once.
 * @param {string} gatewayUrl
 * @param {readonly string[]} tokens
 * @param {number} concurrency
 */
async function identifyAll(gatewayUrl, tokens, concurrency) {
  /** @type {import('../gateway.mjs').GatewaySession[]} */
  const sessions = [];
  /** @type {number[]} */
  const readyMs = [];
  /** @type {string[]} */
  const errors = [];
  const started = performance.now();
  await mapLimit(tokens, concurrency, async (token) => {
    try {
      const result = await identifySession(gatewayUrl, token);
      sessions.push(result.session);
      readyMs.push(result.readyMs);
    } catch (error) {
      if (errors.length < 5) errors.push(/** @type {Error} */ (error).message);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  return { sessions, readyMs, errors, failed: tokens.length - sessions.length, seconds };
}

/**
 * Closes sessions with 1000 (ends them, as a client logging out) and waits for the closes.
 * @param {import('../gateway.mjs').GatewaySession[]} sessions
 */
async function closeAll(sessions) {
  await Promise.all(
    sessions.map(
      (session) =>
        new Promise((resolve) => {
          if (!session.ws || session.ws.readyState > 1) return resolve(undefined);
          session.ws.once('close', resolve);
          session.close(1000);
        }),
    ),
  );
}

/**
 * @param {object} options
 * @param {string} options.target
 * @param {readonly string[]} options.tokens
 * @param {number} options.count distinct users to identify
 * @param {number} options.concurrency handshakes in flight at once
 */
export async function identifyRamp(options) {
  const { rest, gatewayUrl } = await connectTarget(options.target);
  rest.close();
  const tokens = options.tokens.slice(0, options.count);
  if (tokens.length < options.count) throw new Error(`identify ramp needs ${options.count} tokens, the file has ${tokens.length}`);
  report('phase', { name: 'ramp-start' });
  const ramp = await identifyAll(gatewayUrl, tokens, options.concurrency);
  report('phase', { name: 'ramp-done', sessions: ramp.sessions.length });
  await closeAll(ramp.sessions);
  report('phase', { name: 'closed' });
  report('result', {
    scenario: 'identify',
    asked: { sessions: options.count, concurrency: options.concurrency },
    achieved: { sessions: ramp.sessions.length, failed: ramp.failed, identifiesPerSecond: ramp.sessions.length / ramp.seconds, seconds: ramp.seconds },
    readyMs: latencySummary(ramp.readyMs),
    errors: ramp.errors,
  });
}

/**
 * @param {object} options
 * @param {string} options.target
 * @param {readonly string[]} options.tokens
 * @param {number} options.count sessions to hold
 * @param {number} options.concurrency
 * @param {number} options.holdSeconds
 */
export async function idleCapacity(options) {
  const { rest, gatewayUrl } = await connectTarget(options.target);
  rest.close();
  const tokens = options.tokens.slice(0, options.count);
  if (tokens.length < options.count) throw new Error(`idle capacity needs ${options.count} tokens, the file has ${tokens.length}`);
  // Half the sessions first, settled and reported, so the server's memory can be read at two
  // sizes: the difference is what a session costs, without the process's fixed costs (heap
  // generations grown by the ramp, code, caches).
  const settleMs = Math.min(5000, options.holdSeconds * 200);
  const half = Math.floor(tokens.length / 2);
  const first = await identifyAll(gatewayUrl, tokens.slice(0, half), options.concurrency);
  // As long as the reading at the end of the hold comes after: V8 gives back the heap the ramp's
  // garbage grew once allocation has been low for about 8 s, so both readings are taken after that.
  await sleep(Math.min(15_000, options.holdSeconds * 500));
  report('phase', { name: 'half-held', sessions: first.sessions.length });
  const second = await identifyAll(gatewayUrl, tokens.slice(half), options.concurrency);
  const ramp = {
    sessions: [...first.sessions, ...second.sessions],
    readyMs: [...first.readyMs, ...second.readyMs],
    errors: [...first.errors, ...second.errors].slice(0, 5),
    failed: first.failed + second.failed,
    seconds: first.seconds + second.seconds,
  };
  // Let the ramp's own work (READY serialization, presence fanout) settle before the hold.
  await sleep(settleMs);
  const beatsBefore = ramp.sessions.reduce((sum, s) => sum + s.heartbeatsSent, 0);
  const acksBefore = ramp.sessions.reduce((sum, s) => sum + s.heartbeatAcks, 0);
  report('phase', { name: 'holding', sessions: ramp.sessions.length });
  await sleep(options.holdSeconds * 1000);
  const open = ramp.sessions.filter((s) => s.ws && s.ws.readyState === 1).length;
  const beats = ramp.sessions.reduce((sum, s) => sum + s.heartbeatsSent, 0) - beatsBefore;
  const acks = ramp.sessions.reduce((sum, s) => sum + s.heartbeatAcks, 0) - acksBefore;
  report('phase', { name: 'held', sessions: open });
  await closeAll(ramp.sessions);
  report('result', {
    scenario: 'idle',
    asked: { sessions: options.count, holdSeconds: options.holdSeconds },
    achieved: {
      sessions: ramp.sessions.length,
      stillOpenAfterHold: open,
      failed: ramp.failed,
      identifiesPerSecond: ramp.sessions.length / ramp.seconds,
      heartbeatsPerSecond: beats / options.holdSeconds,
      heartbeatAcksPerSecond: acks / options.holdSeconds,
    },
    readyMs: latencySummary(ramp.readyMs),
    errors: ramp.errors,
  });
}
