// Voice scenario of the load generator: `count` users join one voice channel (op 4) and build
// the WebRTC mesh through the gateway's signalling extension; one of them speaks. Per run it
// pushes impulses and times their arrival at every listener (one-way latency through Opus, the
// network path and the receiver's jitter buffer), then speaks a voice-like signal for a steady
// window and counts the bytes it sends and each listener receives. Each run builds a fresh mesh.
import { latencySummary } from '../lib/stats.mjs';
import { connectTarget, report, sleep } from './common.mjs';
import { streamCounters, matchOnsets } from './voice-media.mjs';
import { VoiceParticipant } from './voice-participant.mjs';

/** Voice channel type (Discord's GUILD_VOICE). */
const GUILD_VOICE = 2;
/** Discord's default voice channel bitrate, for a channel without one. */
const DEFAULT_BITRATE = 64_000;
const JOIN_TIMEOUT_MS = 10_000;
const MESH_TIMEOUT_MS = 30_000;
const IMPULSE_BURST_MS = 40;

/**
 * The voice channel to use (the one asked for, or the first in READY) and its guild and bitrate.
 * @param {any} ready READY's d (user accounts get complete guilds)
 * @param {string | undefined} channelId
 */
export function findVoiceChannel(ready, channelId) {
  for (const guild of ready?.guilds ?? []) {
    const channel = (guild.channels ?? []).find((/** @type {any} */ c) => (channelId ? c.id === channelId : c.type === GUILD_VOICE));
    if (channel) {
      if (channel.type !== GUILD_VOICE) throw new Error(`Channel ${channel.id} is not a voice channel`);
      return { guildId: /** @type {string} */ (guild.id), channelId: /** @type {string} */ (channel.id), bitrate: /** @type {number} */ (channel.bitrate ?? DEFAULT_BITRATE) };
    }
  }
  throw new Error(channelId ? `Channel ${channelId} is not in any guild of the first user` : 'No voice channel in the first user\'s guilds: pass --channel');
}

/**
 * Resolves once `condition()` holds; rejects after `timeoutMs`.
 * @param {() => boolean} condition
 * @param {number} timeoutMs
 * @param {string} what
 */
async function until(condition, timeoutMs, what) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Identifies every participant, joins them to the channel and waits for the full mesh with audio.
 * @param {string} gatewayUrl
 * @param {readonly string[]} tokens
 * @param {string | undefined} channelId
 */
async function buildMesh(gatewayUrl, tokens, channelId) {
  /** @type {VoiceParticipant[]} */
  const participants = [];
  let voice = { guildId: '', channelId: '', bitrate: DEFAULT_BITRATE };
  for (const token of tokens) {
    const participant = new VoiceParticipant({ gatewayUrl, token, bitrate: voice.bitrate });
    participants.push(participant);
    await participant.connect();
    if (participants.length === 1) {
      voice = findVoiceChannel(participant.session.ready, channelId);
      participant.options.bitrate = voice.bitrate;
    }
    participant.session.ready = null;
  }
  for (const participant of participants) await participant.join(voice.guildId, voice.channelId, JOIN_TIMEOUT_MS);
  for (const a of participants) for (const b of participants) if (a !== b) a.meet(b.sessionId);
  const whole = () => participants.every((a) => participants.every((b) => a === b || a.hears(b.sessionId)));
  await until(whole, MESH_TIMEOUT_MS, `the mesh of ${participants.length} (connections with audio both ways)`);
  return { participants, voice };
}

/**
 * One run: impulses for latency, then a steady speaking window for bytes per second.
 * @param {VoiceParticipant} speaker
 * @param {VoiceParticipant[]} listeners
 * @param {{ impulses: number, intervalMs: number, burstMs: number, steadySeconds: number }} options
 */
async function measureRun(speaker, listeners, options) {
  const detectors = listeners.map((listener) => listener.detectors.get(speaker.sessionId) ?? listener.listenTo(speaker.sessionId));
  for (const detector of detectors) detector.onsets = [];
  const receiving = listeners.map((listener) => listener.connectionTo(speaker.sessionId));
  const buffersBefore = await Promise.all(receiving.map(streamCounters));
  speaker.source.impulses(options.intervalMs, options.burstMs);
  await until(() => speaker.source.onsets.length >= options.impulses, options.impulses * (options.intervalMs + 200) + 5_000, 'the impulses to be pushed');
  // The last impulse gets a full interval to arrive before it is counted lost.
  speaker.source.silence();
  const pushed = speaker.source.onsets.slice(0, options.impulses);
  const sourceLate = latencySummary(speaker.source.lateMs);
  await sleep(options.intervalMs);
  const matched = detectors.map((detector) => matchOnsets(pushed, detector.onsets));
  const latenciesMs = matched.flatMap((m) => m.latenciesMs);
  const buffersAfter = await Promise.all(receiving.map(streamCounters));
  /** @param {'jitterBufferDelay' | 'jitterBufferTargetDelay'} field mean over the listeners, in ms per sample */
  const bufferMs = (field) => {
    const delay = buffersAfter.reduce((sum, c, i) => sum + c[field] - (buffersBefore[i]?.[field] ?? 0), 0);
    const emitted = buffersAfter.reduce((sum, c, i) => sum + c.jitterBufferEmitted - (buffersBefore[i]?.jitterBufferEmitted ?? 0), 0);
    return emitted > 0 ? (delay / emitted) * 1000 : undefined;
  };

  speaker.source.voice();
  // Let the encoder and its rate control leave the silence behind before counting.
  await sleep(500);
  const sendingTo = listeners.map((listener) => speaker.connectionTo(listener.sessionId));
  const before = { sent: await Promise.all(sendingTo.map(streamCounters)), received: await Promise.all(receiving.map(streamCounters)), at: performance.now() };
  await sleep(options.steadySeconds * 1000);
  const after = { sent: await Promise.all(sendingTo.map(streamCounters)), received: await Promise.all(receiving.map(streamCounters)), at: performance.now() };
  speaker.source.silence();
  const seconds = (after.at - before.at) / 1000;
  /** @param {'sent' | 'received'} side @param {keyof import('./voice-media.mjs').ByteCounters} field */
  const perSecond = (side, field) => after[side].reduce((sum, counters, i) => sum + counters[field] - (before[side][i]?.[field] ?? 0), 0) / seconds;
  const streams = Math.max(1, listeners.length);
  return {
    impulses: pushed.length,
    detected: latenciesMs.length,
    lost: matched.reduce((sum, m) => sum + m.lost, 0),
    latencyMs: latencySummary(latenciesMs),
    sourceLateP99Ms: sourceLate.p99,
    jitterBufferMs: bufferMs('jitterBufferDelay'),
    jitterBufferTargetMs: bufferMs('jitterBufferTargetDelay'),
    speakerUploadBytesPerSecond: perSecond('sent', 'wireSent'),
    streamWireBytesPerSecond: perSecond('sent', 'wireSent') / streams,
    streamRtpBytesPerSecond: perSecond('sent', 'rtpSent') / streams,
    streamOpusBytesPerSecond: perSecond('sent', 'rtpPayloadSent') / streams,
    streamPacketsPerSecond: perSecond('sent', 'packetsSent') / streams,
    listenerDownloadBytesPerSecond: perSecond('received', 'wireReceived') / streams,
  };
}

/**
 * One run on a fresh mesh (fresh connections, so a jitter buffer grown by one run's stalls does
 * not carry into the next): build it, warm up, measure, leave.
 * @param {string} gatewayUrl
 * @param {readonly string[]} tokens
 * @param {number} run
 * @param {{ channelId?: string, impulses: number, intervalMs: number, warmupMs: number, steadySeconds: number }} options
 */
async function runOnFreshMesh(gatewayUrl, tokens, run, options) {
  const started = performance.now();
  const { participants, voice } = await buildMesh(gatewayUrl, tokens, options.channelId);
  const [speaker, ...listeners] = /** @type {[VoiceParticipant, ...VoiceParticipant[]]} */ (participants);
  try {
    const meshReadyMs = performance.now() - started;
    speaker.source.start();
    for (const listener of listeners) listener.listenTo(speaker.sessionId);
    speaker.source.impulses(options.intervalMs, IMPULSE_BURST_MS);
    await sleep(options.warmupMs);
    speaker.source.silence();
    await sleep(options.intervalMs);
    report('phase', { name: 'run-start', run });
    const figures = await measureRun(speaker, listeners, { ...options, burstMs: IMPULSE_BURST_MS });
    for (const participant of participants) participant.leave(voice.guildId);
    const errors = participants.flatMap((p) => p.errors.map((e) => `${e.t}: ${JSON.stringify(e.d)}`));
    return { voice, run: { ...figures, meshReadyMs }, errors };
  } finally {
    for (const participant of participants) participant.close();
  }
}

/**
 * @param {object} options
 * @param {string} options.target
 * @param {readonly string[]} options.tokens members of one guild; the first `count` take part, the first speaks
 * @param {string} [options.channelId] voice channel (else the first in the first user's READY)
 * @param {number} options.count participants in the channel (2 or more)
 * @param {number} options.impulses per run
 * @param {number} options.intervalMs between impulses (plus a random 0–90 ms)
 * @param {number} options.warmupMs impulses before each run's measured ones, not counted (the jitter buffer settles)
 * @param {number} options.steadySeconds speaking window for bytes per second
 * @param {number} options.repeats runs, each on a fresh mesh
 */
export async function voiceLatency(options) {
  if (options.count < 2) throw new Error('voice needs --count of at least 2 (a speaker and a listener)');
  const tokens = options.tokens.slice(0, options.count);
  if (tokens.length < options.count) throw new Error(`voice needs ${options.count} tokens, the file has ${tokens.length}`);
  const { rest, gatewayUrl } = await connectTarget(options.target);
  rest.close();
  const runs = [];
  const errors = [];
  let voice = { guildId: '', channelId: '', bitrate: DEFAULT_BITRATE };
  for (let run = 0; run < options.repeats; run++) {
    const result = await runOnFreshMesh(gatewayUrl, tokens, run, options);
    runs.push(result.run);
    errors.push(...result.errors);
    voice = result.voice;
    report('progress', { run, p50: result.run.latencyMs.p50, lost: result.run.lost });
  }
  report('result', { scenario: 'voice', participants: tokens.length, channelId: voice.channelId, bitrate: voice.bitrate, runs, errors });
}
