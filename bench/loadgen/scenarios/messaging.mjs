// Message scenarios: fanout (many online members, messages posted at increasing rates) and end to
// end (one sender, one other client, light load). Latency is from the POST leaving the load
// generator to each MESSAGE_CREATE arriving at a receiving session.
import { connectTarget, firstTextChannel, identifySession, mapLimit, report } from '../common.mjs';
import { DeliveryTracker, runMessageStep, SenderPool } from '../messages.mjs';

/** A step holds when the asked rate was sent, nothing was lost and delivery p99 stayed under this. */
export const SUSTAINED_P99_MS = 50;

/**
 * Identifies one session per token with raw MESSAGE_CREATE delivery into `tracker`; the first
 * session keeps READY so the channel can be discovered when not given.
 * @param {string} gatewayUrl
 * @param {readonly string[]} tokens
 * @param {DeliveryTracker} tracker
 * @param {number} concurrency
 */
async function connectReceivers(gatewayUrl, tokens, tracker, concurrency) {
  return mapLimit(tokens, concurrency, async (token, index) => {
    const { session } = await identifySession(gatewayUrl, token, { onRawMessageCreate: tracker.onRawMessageCreate, keepReady: index === 0 });
    return session;
  });
}

/**
 * @param {{ askedRate: number, achievedRate: number, deliveries: number, expectedDeliveries: number, failed: number, deliveryMs: { p99: number | undefined } }} step
 */
export function stepSustained(step) {
  return (
    step.achievedRate >= 0.95 * step.askedRate &&
    step.failed === 0 &&
    step.deliveries >= step.expectedDeliveries &&
    step.deliveryMs.p99 !== undefined &&
    step.deliveryMs.p99 <= SUSTAINED_P99_MS
  );
}

/**
 * @param {object} options
 * @param {string} options.target
 * @param {readonly string[]} options.tokens members of one guild; all go online and all may send
 * @param {string} [options.channelId] text channel to post in (else the first one in READY)
 * @param {number} options.count members online
 * @param {readonly number[]} options.rates asked messages per second, increasing
 * @param {number} options.stepSeconds
 * @param {number} options.repeats runs of the whole ladder
 * @param {number} options.concurrency identify handshakes at once
 */
export async function fanout(options) {
  const { rest, gatewayUrl } = await connectTarget(options.target, 256);
  const tokens = options.tokens.slice(0, options.count);
  if (tokens.length < options.count) throw new Error(`fanout needs ${options.count} tokens, the file has ${tokens.length}`);
  const tracker = new DeliveryTracker();
  const sessions = await connectReceivers(gatewayUrl, tokens, tracker, options.concurrency);
  const channelId = options.channelId ?? firstTextChannel(sessions[0]?.ready);
  if (!channelId) throw new Error('No text channel: pass --channel');
  report('phase', { name: 'online', members: sessions.length });
  const pool = new SenderPool(tokens);
  let nextIndex = 0;
  const runs = [];
  for (let run = 0; run < options.repeats; run++) {
    const steps = [];
    for (const rate of options.rates) {
      const step = await runMessageStep({ rest, pool, channelId, tracker, receivers: sessions.length, rate, seconds: options.stepSeconds, firstIndex: nextIndex });
      nextIndex += Math.round(rate * options.stepSeconds) + 1;
      const sustained = stepSustained(step);
      steps.push({ ...step, sustained });
      report('progress', { run, rate, sustained, achievedRate: step.achievedRate, p99: step.deliveryMs.p99, deliveriesPerSecond: step.deliveriesPerSecond });
      if (!sustained) break;
    }
    const held = steps.filter((s) => s.sustained);
    runs.push({ steps, highestSustainedRate: held.length > 0 ? Math.max(...held.map((s) => s.askedRate)) : 0 });
  }
  for (const session of sessions) session.close(1000);
  rest.close();
  report('result', { scenario: 'fanout', members: sessions.length, channelId, runs });
}

/**
 * @param {object} options
 * @param {string} options.target
 * @param {readonly string[]} options.tokens the first receives; the rest send
 * @param {string} [options.channelId]
 * @param {number} options.rate light load, messages per second
 * @param {number} options.seconds per run
 * @param {number} options.repeats
 */
export async function endToEnd(options) {
  if (options.tokens.length < 2) throw new Error('end to end needs at least 2 tokens (one receiver, one sender)');
  const { rest, gatewayUrl } = await connectTarget(options.target);
  const tracker = new DeliveryTracker();
  const [receiver] = await connectReceivers(gatewayUrl, options.tokens.slice(0, 1), tracker, 1);
  const channelId = options.channelId ?? firstTextChannel(receiver?.ready);
  if (!receiver || !channelId) throw new Error('No text channel: pass --channel');
  const pool = new SenderPool(options.tokens.slice(1));
  let nextIndex = 0;
  const runs = [];
  for (let run = 0; run < options.repeats; run++) {
    const step = await runMessageStep({ rest, pool, channelId, tracker, receivers: 1, rate: options.rate, seconds: options.seconds, firstIndex: nextIndex });
    nextIndex += Math.round(options.rate * options.seconds) + 1;
    runs.push(step);
    report('progress', { run, p50: step.deliveryMs.p50, p99: step.deliveryMs.p99 });
  }
  receiver.close(1000);
  rest.close();
  report('result', { scenario: 'e2e', channelId, runs });
}
