// Posting messages at an asked rate and timing each delivery: the core of the fanout and
// end-to-end scenarios. The schedule is open-loop (message i is due at start + i/rate), so a slow
// server shows up as a lower achieved rate and higher latency, never as a quietly slower test.
import { latencySummary } from '../lib/stats.mjs';
import { SenderPool } from './rest.mjs';

/** Chat lines of typical lengths (a few words to a paragraph), some with markdown. */
const TYPICAL_LINES = [
  'gg',
  'anyone up for a match tonight?',
  'brb 5 min',
  'lol that was close',
  'Patch notes are out, the new map looks **huge**',
  'I can host, server is `eu-west`, password in the pinned message',
  'did you see the clip from yesterday? absolutely unreal flick',
  'ok so the plan: we rotate B after the first pick, smoke mid, and Jess holds the flank. if they stack A we fall back and retake with utility. sound good?',
  'lmao',
  'who is streaming later? I want to watch the tournament finals',
  '> they nerfed the shotgun again\nhonestly deserved',
  'can someone ping me when the raid starts',
  'my internet is being weird, might lag',
  'new build: https://example.org/builds/ranger-meta — thoughts?',
  'thanks everyone, great games today ❤️',
];

/**
 * Content of the i-th benchmark message: the marker first (found in raw bytes without a parse),
 * then a typical chat line.
 * @param {number} index
 */
export function benchContent(index) {
  return `bench-${index} ${TYPICAL_LINES[index % TYPICAL_LINES.length]}`;
}

const CONTENT_MARK = Buffer.from('"content":"bench-');

/**
 * The message index from a raw MESSAGE_CREATE, or -1 when it is not a benchmark message.
 * @param {Buffer} raw
 */
export function scanBenchIndex(raw) {
  let at = raw.indexOf(CONTENT_MARK);
  if (at < 0) return -1;
  at += CONTENT_MARK.length;
  let index = 0;
  let digits = 0;
  for (; at < raw.length; at++, digits++) {
    const c = raw[at];
    if (c === undefined || c < 0x30 || c > 0x39) break;
    index = index * 10 + (c - 0x30);
  }
  return digits > 0 ? index : -1;
}

/**
 * Collects deliveries of benchmark messages to many sessions. Give its `onRawMessageCreate` to each
 * receiving session; `expect` starts a step.
 */
export class DeliveryTracker {
  constructor() {
    /** @type {Float64Array} POST start time (ms, monotonic) per message index; 0 = not sent */
    this.sentAt = new Float64Array(0);
    /** @type {number[]} */
    this.latencies = [];
    this.delivered = 0;
    this.firstIndex = 0;
    this.lastDeliveryAt = 0;
    /** @type {(raw: Buffer) => void} */
    this.onRawMessageCreate = (raw) => this.record(raw);
  }

  /**
   * Starts a step for message indexes [first, first + count).
   * @param {number} first
   * @param {number} count
   */
  expect(first, count) {
    this.firstIndex = first;
    this.sentAt = new Float64Array(count);
    this.latencies = [];
    this.delivered = 0;
    this.lastDeliveryAt = 0;
  }

  /** @param {Buffer} raw */
  record(raw) {
    const now = performance.now();
    const slot = scanBenchIndex(raw) - this.firstIndex;
    const sentAt = slot >= 0 && slot < this.sentAt.length ? this.sentAt[slot] : 0;
    if (!sentAt) return;
    this.latencies.push(now - sentAt);
    this.delivered += 1;
    this.lastDeliveryAt = now;
  }
}

/**
 * @typedef {object} StepOptions
 * @property {import('./rest.mjs').RestClient} rest
 * @property {SenderPool} pool
 * @property {string} channelId
 * @property {DeliveryTracker} tracker
 * @property {number} receivers sessions expected to receive each message
 * @property {number} rate asked messages per second
 * @property {number} seconds how long to send
 * @property {number} firstIndex index of the step's first message (unique across steps)
 * @property {number} [maxInFlight] concurrent POSTs at most
 * @property {number} [drainMs] how long to wait for late deliveries after the last POST
 */

/**
 * Sends at `rate` for `seconds`, then waits for the deliveries; returns the step's figures.
 * @param {StepOptions} options
 */
export async function runMessageStep(options) {
  const { rest, pool, channelId, tracker, rate, seconds } = options;
  const total = Math.max(1, Math.round(rate * seconds));
  const maxInFlight = options.maxInFlight ?? 256;
  tracker.expect(options.firstIndex, total);
  /** @type {number[]} */
  const postLatencies = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let inFlight = 0;
  const rateLimitedBefore = pool.rateLimited;
  const start = performance.now();
  const windowMs = seconds * 1000;

  const post = async (/** @type {number} */ index, /** @type {{ token: string, blockedUntil: number, inFlight: boolean }} */ sender) => {
    const at = performance.now();
    tracker.sentAt[index] = at;
    inFlight += 1;
    try {
      const response = await rest.request('POST', `/channels/${channelId}/messages`, {
        token: sender.token,
        body: { content: benchContent(options.firstIndex + index), nonce: String(options.firstIndex + index) },
      });
      pool.release(sender, response);
      if (response.status === 200 || response.status === 201) {
        ok += 1;
        postLatencies.push(performance.now() - at);
      } else {
        failed += 1;
        tracker.sentAt[index] = 0;
      }
    } catch {
      sender.inFlight = false;
      failed += 1;
      tracker.sentAt[index] = 0;
    } finally {
      inFlight -= 1;
    }
  };

  /** @type {Promise<void>[]} */
  const posts = [];
  while (sent < total) {
    const elapsed = performance.now() - start;
    if (elapsed > windowMs) break;
    const due = Math.min(total, Math.floor((elapsed / 1000) * rate) + 1);
    while (sent < due && inFlight < maxInFlight) {
      const sender = pool.take();
      if (!sender) break;
      posts.push(post(sent, sender));
      sent += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const sendWindowMs = performance.now() - start;
  await Promise.all(posts);
  const expected = ok * options.receivers;
  await waitForDeliveries(tracker, expected, options.drainMs ?? 3000);
  const deliverySpanMs = Math.max(1, (tracker.lastDeliveryAt || performance.now()) - start);
  return {
    askedRate: rate,
    achievedRate: sent / (Math.max(sendWindowMs, windowMs) / 1000),
    sent,
    stored: ok,
    failed,
    rateLimited: pool.rateLimited - rateLimitedBefore,
    expectedDeliveries: expected,
    deliveries: tracker.delivered,
    deliveriesPerSecond: tracker.delivered / (deliverySpanMs / 1000),
    deliveryMs: latencySummary(tracker.latencies),
    postMs: latencySummary(postLatencies),
  };
}

/**
 * Waits until `expected` deliveries arrived, or `idleMs` passed with none arriving.
 * @param {DeliveryTracker} tracker
 * @param {number} expected
 * @param {number} idleMs
 */
async function waitForDeliveries(tracker, expected, idleMs) {
  let last = tracker.delivered;
  let quietSince = performance.now();
  while (tracker.delivered < expected) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (tracker.delivered !== last) {
      last = tracker.delivered;
      quietSince = performance.now();
    } else if (performance.now() - quietSince > idleMs) {
      return;
    }
  }
}

export { SenderPool };
