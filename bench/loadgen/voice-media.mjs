// Media for the voice scenario, on Node WebRTC (@roamhq/wrtc): a microphone stand-in that pushes
// 48 kHz mono PCM in 10 ms frames by the wall clock (silence, impulses or a voice-like signal), an
// onset detector on the received audio (RTCAudioSink), the matching of pushed onsets to detected
// ones, the Opus bitrate in the SDP and on the sender, and byte counters from getStats().
import wrtc from '@roamhq/wrtc';

const { RTCAudioSource, RTCAudioSink } = wrtc.nonstandard;

export const SAMPLE_RATE = 48_000;
export const FRAME_MS = 10;
/** Samples in one 10 ms frame at 48 kHz (what WebRTC's audio path works in). */
export const FRAME = (SAMPLE_RATE * FRAME_MS) / 1000;

/** Impulse: a 1 kHz tone burst at this amplitude; silence around it is exact zeros. */
const IMPULSE_AMPLITUDE = 12_000;
const IMPULSE_HZ = 1000;
/** A received sample at or above this |value| is the impulse (Opus leaves silence far below it). */
export const DETECT_THRESHOLD = 2_000;
/** Quiet frames that must precede an onset, so a burst's own tail never counts as a new onset. */
const QUIET_FRAMES_BEFORE_ONSET = 5;

/**
 * @typedef {object} PushedOnset
 * @property {number} at when the onset's first sample entered WebRTC (ms, performance.now()):
 *   the push time of its frame plus its offset in the frame
 */

/**
 * A microphone stand-in: an RTCAudioSource track fed one 10 ms frame per 10 ms of wall clock.
 * Timers drift and stall under load, so each tick pushes every frame that is due by the clock,
 * and each onset is timed at the moment its frame was actually handed to WebRTC.
 */
export class PacedSource {
  constructor() {
    this.source = new RTCAudioSource();
    this.track = this.source.createTrack();
    this.stream = new wrtc.MediaStream([this.track]);
    /** @type {'silence' | 'impulses' | 'voice'} */
    this.mode = 'silence';
    /** @type {PushedOnset[]} */
    this.onsets = [];
    /** How late each frame was handed to WebRTC against its wall-clock due time (ms), since impulses() */
    this.lateMs = /** @type {number[]} */ ([]);
    this.pushed = 0;
    this.samples = new Int16Array(FRAME);
    /** Samples of the current burst still to play, and its phase. */
    this.burst = { left: 0, phase: 0 };
    /** Frame index of the next impulse's frame and the onset's offset in it. */
    this.nextImpulse = { frame: Infinity, offset: 0 };
    this.impulseEveryMs = 400;
    this.burstMs = 40;
    /** @type {NodeJS.Timeout | undefined} */
    this.timer = undefined;
    this.started = 0;
  }

  /** Starts pushing silence by the clock. */
  start() {
    this.started = performance.now();
    this.timer = setInterval(() => this.tick(), FRAME_MS / 2);
  }

  /**
   * Impulses from now on: a `burstMs` tone burst every `everyMs` plus a random 0–90 ms, starting
   * at a random sample of its frame, so onsets fall at every phase of Opus's 20 ms packets.
   * @param {number} everyMs
   * @param {number} burstMs
   */
  impulses(everyMs, burstMs) {
    this.mode = 'impulses';
    this.impulseEveryMs = everyMs;
    this.burstMs = burstMs;
    this.onsets = [];
    this.lateMs = [];
    this.scheduleImpulse(this.pushed + 1);
  }

  /** A continuous voice-like signal (harmonics of a gliding pitch, syllable-rate envelope, noise). */
  voice() {
    this.mode = 'voice';
  }

  silence() {
    this.mode = 'silence';
    this.nextImpulse.frame = Infinity;
  }

  /** @param {number} after the first frame index it may fall on */
  scheduleImpulse(after) {
    const jitterFrames = Math.floor(Math.random() * 10);
    this.nextImpulse = { frame: after + Math.round(this.impulseEveryMs / FRAME_MS) + jitterFrames, offset: Math.floor(Math.random() * FRAME) };
  }

  tick() {
    const due = Math.floor((performance.now() - this.started) / FRAME_MS);
    while (this.pushed < due) {
      const onsetOffset = this.fill(this.pushed);
      const handedAt = performance.now();
      // Frame n is due when its 10 ms have passed on the clock; a stalled event loop hands it late.
      if (this.mode === 'impulses') this.lateMs.push(handedAt - (this.started + (this.pushed + 1) * FRAME_MS));
      this.source.onData({ samples: this.samples, sampleRate: SAMPLE_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME });
      if (onsetOffset !== undefined) this.onsets.push({ at: handedAt + (onsetOffset / SAMPLE_RATE) * 1000 });
      this.pushed += 1;
    }
  }

  /**
   * Fills this.samples with frame `index`; returns the onset's sample offset when an impulse starts in it.
   * @param {number} index
   * @returns {number | undefined}
   */
  fill(index) {
    const samples = this.samples;
    samples.fill(0);
    if (this.mode === 'voice') {
      fillVoice(samples, index);
      return undefined;
    }
    /** @type {number | undefined} */
    let onset;
    let from = 0;
    if (this.mode === 'impulses' && index === this.nextImpulse.frame) {
      onset = this.nextImpulse.offset;
      from = onset;
      this.burst = { left: Math.round((this.burstMs / 1000) * SAMPLE_RATE), phase: 0 };
      this.scheduleImpulse(index);
    }
    for (let i = from; i < FRAME && this.burst.left > 0; i++, this.burst.left--) {
      samples[i] = Math.round(IMPULSE_AMPLITUDE * Math.sin((2 * Math.PI * IMPULSE_HZ * this.burst.phase++) / SAMPLE_RATE));
    }
    return onset;
  }

  stop() {
    clearInterval(this.timer);
    this.track.stop();
  }
}

/**
 * A voice-like test signal: five harmonics of a pitch gliding around 140 Hz, shaped by a 4 Hz
 * syllable envelope, plus a little noise — busier for Opus than a pure tone, as speech is.
 * @param {Int16Array} samples
 * @param {number} frameIndex
 */
function fillVoice(samples, frameIndex) {
  for (let i = 0; i < samples.length; i++) {
    const t = (frameIndex * FRAME + i) / SAMPLE_RATE;
    const pitch = 140 + 25 * Math.sin(2 * Math.PI * 0.7 * t);
    const envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
    let value = 0;
    for (let h = 1; h <= 5; h++) value += Math.sin(2 * Math.PI * pitch * h * t) / h;
    samples[i] = Math.round(4_000 * envelope * value + 600 * (Math.random() - 0.5));
  }
}

/**
 * Times the onsets heard in a remote track: the first sample at or above the threshold after a
 * run of quiet frames, at the time its frame came out of WebRTC (after the jitter buffer and the
 * decoder) plus the sample's offset in that frame.
 */
export class OnsetDetector {
  /** @param {MediaStreamTrack} track */
  constructor(track) {
    /** @type {number[]} onset times (ms, performance.now()) */
    this.onsets = [];
    this.quietFrames = 0;
    this.frames = 0;
    this.sink = new RTCAudioSink(track);
    this.sink.ondata = (/** @type {{ samples: Int16Array, sampleRate: number }} */ data) => this.onFrame(data, performance.now());
  }

  /**
   * @param {{ samples: Int16Array, sampleRate: number }} data
   * @param {number} now
   */
  onFrame(data, now) {
    this.frames += 1;
    const index = data.samples.findIndex((sample) => Math.abs(sample) >= DETECT_THRESHOLD);
    if (index < 0) {
      this.quietFrames += 1;
      return;
    }
    if (this.quietFrames >= QUIET_FRAMES_BEFORE_ONSET) this.onsets.push(now + (index / data.sampleRate) * 1000);
    this.quietFrames = 0;
  }

  stop() {
    this.sink.stop();
  }
}

/**
 * Pairs each pushed onset with the first onset detected after it and before the next one was
 * pushed (impulses are spaced far wider than any plausible latency); an impulse with none is lost.
 * @param {readonly PushedOnset[]} pushed
 * @param {readonly number[]} detected
 * @returns {{ latenciesMs: number[], lost: number }}
 */
export function matchOnsets(pushed, detected) {
  const latenciesMs = [];
  let lost = 0;
  let cursor = 0;
  for (let i = 0; i < pushed.length; i++) {
    const at = /** @type {PushedOnset} */ (pushed[i]).at;
    const before = pushed[i + 1]?.at ?? Infinity;
    while (cursor < detected.length && /** @type {number} */ (detected[cursor]) < at) cursor++;
    const heard = detected[cursor];
    if (heard !== undefined && heard < before) {
      latenciesMs.push(heard - at);
      cursor++;
    } else {
      lost += 1;
    }
  }
  return { latenciesMs, lost };
}

/** Opus bitrate bounds of Discord's (and Hearth's) voice channels. */
const MIN_BITRATE = 8_000;
const MAX_BITRATE = 96_000;

/**
 * @param {number} bitsPerSecond
 */
function clampBitrate(bitsPerSecond) {
  return Math.round(Math.min(MAX_BITRATE, Math.max(MIN_BITRATE, bitsPerSecond)));
}

/**
 * Sets `maxaveragebitrate` (RFC 7587) on the Opus fmtp line, as Hearth's clients do with the
 * channel's bitrate: it tells the other side's encoder what to send.
 * @param {string} sdp
 * @param {number} bitsPerSecond
 */
export function withOpusBitrate(sdp, bitsPerSecond) {
  const payloadType = /^a=rtpmap:(\d+) opus\/48000/im.exec(sdp)?.[1];
  if (!payloadType) return sdp;
  const fmtp = new RegExp(`^(a=fmtp:${payloadType} )(.*)$`, 'm');
  const bitrate = `maxaveragebitrate=${clampBitrate(bitsPerSecond)}`;
  if (!fmtp.test(sdp)) return sdp.replace(new RegExp(`^(a=rtpmap:${payloadType} .*)$`, 'm'), `$1\r\na=fmtp:${payloadType} ${bitrate}`);
  return sdp.replace(fmtp, (_, prefix, params) => `${prefix}${params.split(';').filter((/** @type {string} */ p) => p && !p.startsWith('maxaveragebitrate=')).concat(bitrate).join(';')}`);
}

/**
 * Caps what this side sends at the bitrate (RTCRtpSender.setParameters), as Hearth's clients do.
 * @param {RTCPeerConnection} pc
 * @param {number} bitsPerSecond
 */
export async function capSenders(pc, bitsPerSecond) {
  for (const sender of pc.getSenders()) {
    const parameters = sender.getParameters();
    if (parameters.encodings.length === 0) parameters.encodings = [{}];
    for (const encoding of parameters.encodings) encoding.maxBitrate = clampBitrate(bitsPerSecond);
    await sender.setParameters(parameters);
  }
}

/**
 * @typedef {object} ByteCounters
 * @property {number} wireSent UDP payload bytes sent on the connection's transport (SRTP packets,
 *   RTP headers, RTCP and ICE checks included; IP and UDP headers not)
 * @property {number} wireReceived
 * @property {number} rtpSent RTP payload plus RTP header bytes of the audio stream
 * @property {number} rtpPayloadSent Opus payload bytes only
 * @property {number} packetsSent RTP packets of the audio stream
 * @property {number} jitterBufferDelay seconds, summed over every sample the receiver's jitter buffer emitted
 * @property {number} jitterBufferTargetDelay seconds, the buffer's target delay summed the same way
 * @property {number} jitterBufferEmitted samples the jitter buffer emitted
 */

/**
 * Reads a peer connection's byte and jitter-buffer counters (a difference of two readings gives a window's figures).
 * @param {RTCPeerConnection} pc
 * @returns {Promise<ByteCounters>}
 */
export async function streamCounters(pc) {
  const counters = { wireSent: 0, wireReceived: 0, rtpSent: 0, rtpPayloadSent: 0, packetsSent: 0, jitterBufferDelay: 0, jitterBufferTargetDelay: 0, jitterBufferEmitted: 0 };
  const report = await pc.getStats();
  report.forEach((/** @type {any} */ stat) => {
    if (stat.type === 'transport') {
      counters.wireSent += stat.bytesSent ?? 0;
      counters.wireReceived += stat.bytesReceived ?? 0;
    } else if (stat.type === 'outbound-rtp' && stat.kind === 'audio') {
      counters.rtpPayloadSent += stat.bytesSent ?? 0;
      counters.rtpSent += (stat.bytesSent ?? 0) + (stat.headerBytesSent ?? 0);
      counters.packetsSent += stat.packetsSent ?? 0;
    } else if (stat.type === 'inbound-rtp' && stat.kind === 'audio') {
      counters.jitterBufferDelay += stat.jitterBufferDelay ?? 0;
      counters.jitterBufferTargetDelay += stat.jitterBufferTargetDelay ?? 0;
      counters.jitterBufferEmitted += stat.jitterBufferEmittedCount ?? 0;
    }
  });
  return counters;
}
