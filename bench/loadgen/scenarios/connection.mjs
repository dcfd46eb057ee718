// Connection scenarios: resume (reconnect → RESUMED with missed events replayed) and compression
// (bytes on the wire with and without zlib-stream for READY plus typical messages).
import { latencySummary } from '../../lib/stats.mjs';
import { connectTarget, firstTextChannel, identifySession, mapLimit, report, sleep, USER_AGENT } from '../common.mjs';
import { benchContent, SenderPool } from '../messages.mjs';

/**
 * Posts `count` benchmark messages through the pool, `parallel` at a time, waiting out empty buckets.
 * @param {import('../rest.mjs').RestClient} rest
 * @param {SenderPool} pool
 * @param {string} channelId
 * @param {number} firstIndex
 * @param {number} count
 * @param {number} parallel
 */
export async function postMessages(rest, pool, channelId, firstIndex, count, parallel) {
  const indexes = Array.from({ length: count }, (_, i) => firstIndex + i);
  await mapLimit(indexes, parallel, async (index) => {
    for (;;) {
      const sender = pool.take();
      if (!sender) {
        await sleep(5);
        continue;
      }
      const response = await rest.request('POST', `/channels/${channelId}/messages`, { token: sender.token, body: { content: benchContent(index) } });
      pool.release(sender, response);
      if (response.status === 200 || response.status === 201) return;
      if (response.status !== 429) throw new Error(`POST message → ${response.status} ${JSON.stringify(response.body)}`);
    }
  });
}

/**
 * Resolves once `counter()` reaches `target`; rejects after `timeoutMs`.
 * @param {() => number} counter
 * @param {number} target
 * @param {number} timeoutMs
 * @param {string} what
 */
async function waitForCount(counter, target, timeoutMs, what) {
  const deadline = performance.now() + timeoutMs;
  while (counter() < target) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${counter()} of ${target}`);
    await sleep(5);
  }
}

/**
 * @param {object} options
 * @param {string} options.target
 * @param {readonly string[]} options.tokens the first resumes, the second watches, the rest send
 * @param {string} [options.channelId]
 * @param {number} options.missed events sent while the session is disconnected
 * @param {number} options.repeats
 */
export async function resume(options) {
  if (options.tokens.length < 3) throw new Error('resume needs at least 3 tokens (resumer, watcher, sender)');
  const [resumerToken, watcherToken] = /** @type {[string, string]} */ (options.tokens);
  const { rest, gatewayUrl } = await connectTarget(options.target);
  let resumerMessages = 0;
  let watcherMessages = 0;
  const countMessage = (/** @type {string} */ t, /** @type {() => void} */ add) => t === 'MESSAGE_CREATE' && add();
  const resumer = await identifySession(gatewayUrl, resumerToken, { keepReady: true, onDispatch: (t) => countMessage(t, () => (resumerMessages += 1)) });
  const watcher = await identifySession(gatewayUrl, watcherToken, { onDispatch: (t) => countMessage(t, () => (watcherMessages += 1)) });
  const channelId = options.channelId ?? firstTextChannel(resumer.session.ready);
  if (!channelId) throw new Error('No text channel: pass --channel');
  const pool = new SenderPool(options.tokens.slice(2));
  /** @type {number[]} */
  const resumedMs = [];
  /** @type {number[]} */
  const replayed = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const session = resumer.session;
    await new Promise((resolve) => {
      session.ws?.once('close', resolve);
      session.close(4000);
    });
    const watcherBefore = watcherMessages;
    await postMessages(rest, pool, channelId, repeat * options.missed, options.missed, 8);
    await waitForCount(() => watcherMessages - watcherBefore, options.missed, 30_000, 'the missed events to be dispatched');
    const before = resumerMessages;
    const started = performance.now();
    await session.open(session.resumeUrl ?? gatewayUrl);
    await session.resume(resumerToken);
    resumedMs.push(performance.now() - started);
    replayed.push(resumerMessages - before);
  }
  resumer.session.close(1000);
  watcher.session.close(1000);
  rest.close();
  report('result', {
    scenario: 'resume',
    asked: { missed: options.missed, repeats: options.repeats },
    resumedMs: latencySummary(resumedMs),
    samplesMs: resumedMs,
    replayedPerResume: { min: Math.min(...replayed), max: Math.max(...replayed) },
  });
}

/**
 * @param {object} options
 * @param {string} options.target
 * @param {readonly string[]} options.tokens the first two read (plain, zlib-stream), the rest send
 * @param {string} [options.channelId]
 * @param {number} options.messages typical messages after READY
 * @param {number} options.repeats
 */
export async function compression(options) {
  if (options.tokens.length < 3) throw new Error('compression needs at least 3 tokens (two readers, one sender)');
  const { rest, gatewayUrl } = await connectTarget(options.target);
  const pool = new SenderPool(options.tokens.slice(2));
  const runs = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    /** @type {Record<string, { session: import('../gateway.mjs').GatewaySession, messages: number, readyWire: number, readyPayload: number }>} */
    const readers = {};
    for (const [mode, token] of /** @type {const} */ ([['plain', options.tokens[0]], ['zlib', options.tokens[1]]])) {
      const reader = { session: /** @type {import('../gateway.mjs').GatewaySession} */ (/** @type {unknown} */ (null)), messages: 0, readyWire: 0, readyPayload: 0 };
      const result = await identifySession(gatewayUrl, /** @type {string} */ (token), {
        compress: mode === 'zlib',
        keepReady: true,
        onDispatch: (t) => {
          if (t === 'MESSAGE_CREATE') reader.messages += 1;
        },
      });
      reader.session = result.session;
      reader.readyWire = result.session.totalWireBytes();
      reader.readyPayload = result.session.payloadBytes;
      readers[mode] = reader;
    }
    const plain = /** @type {NonNullable<typeof readers.plain>} */ (readers.plain);
    const zlib = /** @type {NonNullable<typeof readers.zlib>} */ (readers.zlib);
    const channelId = options.channelId ?? firstTextChannel(plain.session.ready);
    if (!channelId) throw new Error('No text channel: pass --channel');
    // Baselines after both are online, so the second reader's arrival (a presence update to the
    // first) is not counted as message traffic for one mode only.
    await sleep(200);
    const base = { plainWire: plain.session.totalWireBytes(), zlibWire: zlib.session.totalWireBytes(), plainJson: plain.session.payloadBytes };
    await postMessages(rest, pool, channelId, repeat * options.messages, options.messages, 8);
    await waitForCount(() => Math.min(plain.messages, zlib.messages), options.messages, 60_000, 'the messages at both readers');
    const figures = {
      readyPlainBytes: plain.readyWire,
      readyZlibBytes: zlib.readyWire,
      readyJsonBytes: plain.readyPayload,
      messagesPlainBytes: plain.session.totalWireBytes() - base.plainWire,
      messagesZlibBytes: zlib.session.totalWireBytes() - base.zlibWire,
      messagesJsonBytes: plain.session.payloadBytes - base.plainJson,
    };
    plain.session.close(1000);
    zlib.session.close(1000);
    runs.push(figures);
    report('progress', { repeat, ...figures });
  }
  rest.close();
  report('result', { scenario: 'compression', asked: { messages: options.messages, repeats: options.repeats }, userAgent: USER_AGENT, runs });
}
