// One participant of the voice scenario: a gateway session in a voice channel and its WebRTC
// mesh (simple-peer on @roamhq/wrtc, one connection per other participant), signalled through
// the Hearth gateway extension as Hearth's clients do it: op 40 VOICE_SIGNAL carrying
// `{peer, signals}` batches, delivered as HEARTH_VOICE_SIGNAL; the lower session_id of a pair
// sends the offer. Only the public protocol is used (docs/protocol.md, "Voice").
import crypto from 'node:crypto';
import wrtc from '@roamhq/wrtc';
import SimplePeer from 'simple-peer';
import { DEFAULT_INTENTS, GatewaySession } from './gateway.mjs';
import { USER_AGENT } from './common.mjs';
import { capSenders, OnsetDetector, PacedSource, withOpusBitrate } from './voice-media.mjs';

/** GUILD_VOICE_STATES: the VOICE_STATE_UPDATE dispatches that confirm a join. */
const GUILD_VOICE_STATES = 1 << 7;
const OP_VOICE_STATE_UPDATE = 4;
const OP_VOICE_SIGNAL = 40;
/** Signals to one peer are batched this long, and a batch closes before this size (4096-byte payload limit). */
const BATCH_DELAY_MS = 15;
const MAX_BATCH_CHARS = 3_200;

/**
 * @typedef {object} Link one peer connection, to the participant with `sessionId`
 * @property {string} sessionId
 * @property {string} peerId the initiator's name for the connection
 * @property {SimplePeer.Instance} peer
 * @property {boolean} connected
 * @property {MediaStreamTrack | undefined} remoteTrack
 * @property {{ signals: object[], chars: number, timer: NodeJS.Timeout | undefined }} batch
 */

export class VoiceParticipant {
  /**
   * @param {object} options
   * @param {string} options.gatewayUrl
   * @param {string} options.token
   * @param {number} options.bitrate the channel's bitrate, applied as Hearth's clients apply it
   */
  constructor(options) {
    this.options = options;
    this.source = new PacedSource();
    /** @type {Map<string, Link>} by the other participant's session_id */
    this.links = new Map();
    /** @type {Map<string, OnsetDetector>} */
    this.detectors = new Map();
    /** @type {{ t: string, d: any }[]} voice dispatches not yet taken by a waiter */
    this.errors = [];
    /** @type {((t: string, d: any) => void) | undefined} */
    this.dispatchWaiter = undefined;
    this.session = new GatewaySession({
      url: options.gatewayUrl,
      token: options.token,
      userAgent: USER_AGENT,
      intents: DEFAULT_INTENTS | GUILD_VOICE_STATES,
      onDispatch: (t, d) => this.onDispatch(t, d),
    });
  }

  /** Connects and identifies; READY is kept (the caller finds the voice channel in it). */
  async connect() {
    await this.session.open();
    await this.session.identify();
    return /** @type {string} */ (this.session.sessionId);
  }

  get sessionId() {
    return /** @type {string} */ (this.session.sessionId);
  }

  /**
   * Op 4 into the channel; resolves on the VOICE_STATE_UPDATE for this session, rejects on a
   * HEARTH_VOICE_ERROR (channel full, mesh cap, no permission…).
   * @param {string} guildId
   * @param {string} channelId
   * @param {number} timeoutMs
   */
  async join(guildId, channelId, timeoutMs) {
    const joined = this.nextDispatch((t, d) => {
      if (t === 'HEARTH_VOICE_ERROR' && d.op === OP_VOICE_STATE_UPDATE) throw new Error(`Joining voice was refused: ${d.code} ${d.message}`);
      return t === 'VOICE_STATE_UPDATE' && d.session_id === this.sessionId && d.channel_id === channelId;
    }, timeoutMs, 'VOICE_STATE_UPDATE');
    this.session.send({ op: OP_VOICE_STATE_UPDATE, d: { guild_id: guildId, channel_id: channelId, self_mute: false, self_deaf: false } });
    await joined;
  }

  /** @param {string} guildId */
  leave(guildId) {
    this.session.send({ op: OP_VOICE_STATE_UPDATE, d: { guild_id: guildId, channel_id: null, self_mute: false, self_deaf: false } });
  }

  /**
   * Resolves with the first dispatch `match` accepts (a throw in `match` rejects).
   * @param {(t: string, d: any) => boolean} match
   * @param {number} timeoutMs
   * @param {string} what
   * @returns {Promise<void>}
   */
  nextDispatch(match, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.dispatchWaiter = undefined;
        reject(new Error(`Timed out waiting for ${what}`));
      }, timeoutMs);
      this.dispatchWaiter = (t, d) => {
        try {
          if (!match(t, d)) return;
          resolve();
        } catch (error) {
          reject(error);
        }
        clearTimeout(timer);
        this.dispatchWaiter = undefined;
      };
    });
  }

  /**
   * Opens the connection to another participant when this side initiates (lower session_id);
   * otherwise the other side's first offer opens it.
   * @param {string} otherSessionId
   */
  meet(otherSessionId) {
    if (this.sessionId < otherSessionId) this.openLink(otherSessionId, crypto.randomBytes(6).toString('hex'), true);
  }

  /**
   * @param {string} sessionId
   * @param {string} peerId
   * @param {boolean} initiator
   * @returns {Link}
   */
  openLink(sessionId, peerId, initiator) {
    this.links.get(sessionId)?.peer.destroy();
    const peer = new SimplePeer({
      initiator,
      // simple-peer's types predate @roamhq/wrtc; it is the same API.
      wrtc: /** @type {any} */ (wrtc),
      streams: [this.source.stream],
      trickle: true,
      config: { iceServers: [] },
      sdpTransform: (sdp) => withOpusBitrate(sdp, this.options.bitrate),
    });
    /** @type {Link} */
    const link = { sessionId, peerId, peer, connected: false, remoteTrack: undefined, batch: { signals: [], chars: 0, timer: undefined } };
    peer.on('signal', (signal) => this.queueSignal(link, signal));
    peer.on('connect', () => {
      link.connected = true;
      // @ts-expect-error simple-peer keeps its RTCPeerConnection in _pc, the only way to its senders and stats.
      capSenders(peer._pc, this.options.bitrate).catch(() => undefined);
    });
    peer.on('stream', (/** @type {MediaStream} */ stream) => (link.remoteTrack = stream.getAudioTracks()[0]));
    peer.on('error', (error) => this.errors.push({ t: 'peer', d: error.message }));
    this.links.set(sessionId, link);
    return link;
  }

  /**
   * @param {Link} link
   * @param {object} signal
   */
  queueSignal(link, signal) {
    const size = JSON.stringify(signal).length + 1;
    if (link.batch.signals.length > 0 && link.batch.chars + size > MAX_BATCH_CHARS) this.flushSignals(link);
    link.batch.signals.push(signal);
    link.batch.chars += size;
    link.batch.timer ??= setTimeout(() => this.flushSignals(link), BATCH_DELAY_MS);
  }

  /** @param {Link} link */
  flushSignals(link) {
    clearTimeout(link.batch.timer);
    const signals = link.batch.signals;
    link.batch = { signals: [], chars: 0, timer: undefined };
    if (signals.length > 0) this.session.send({ op: OP_VOICE_SIGNAL, d: { session_id: link.sessionId, signal: { peer: link.peerId, signals } } });
  }

  /**
   * @param {string} t
   * @param {any} d
   */
  onDispatch(t, d) {
    if (t === 'HEARTH_VOICE_SIGNAL') this.onSignal(d.from_session_id, d.signal);
    else if (t === 'HEARTH_VOICE_ERROR') this.errors.push({ t, d });
    this.dispatchWaiter?.(t, d);
  }

  /**
   * @param {string} from
   * @param {{ peer: string, signals: object[] }} envelope
   */
  onSignal(from, envelope) {
    if (typeof envelope?.peer !== 'string' || !Array.isArray(envelope.signals)) return;
    let link = this.links.get(from);
    // A new name from the initiator replaces the connection (Hearth's rule).
    if (!link || link.peerId !== envelope.peer) link = this.openLink(from, envelope.peer, false);
    for (const signal of envelope.signals) {
      if (!link.peer.destroyed) link.peer.signal(/** @type {SimplePeer.SignalData} */ (signal));
    }
  }

  /**
   * Whether the connection to `sessionId` is up with the remote audio track attached.
   * @param {string} sessionId
   */
  hears(sessionId) {
    const link = this.links.get(sessionId);
    return Boolean(link?.connected && link.remoteTrack);
  }

  /**
   * Starts timing onsets in the audio received from `sessionId`.
   * @param {string} sessionId
   */
  listenTo(sessionId) {
    const track = this.links.get(sessionId)?.remoteTrack;
    if (!track) throw new Error(`No audio from ${sessionId} yet`);
    const detector = new OnsetDetector(track);
    this.detectors.set(sessionId, detector);
    return detector;
  }

  /**
   * The RTCPeerConnection to `sessionId` (for getStats).
   * @param {string} sessionId
   * @returns {RTCPeerConnection}
   */
  connectionTo(sessionId) {
    const link = this.links.get(sessionId);
    if (!link) throw new Error(`No connection to ${sessionId}`);
    // @ts-expect-error simple-peer keeps its RTCPeerConnection in _pc.
    return link.peer._pc;
  }

  /** Ends media and the gateway session. */
  close() {
    for (const detector of this.detectors.values()) detector.stop();
    for (const link of this.links.values()) {
      clearTimeout(link.batch.timer);
      link.peer.destroy();
    }
    this.source.stop();
    this.session.close(1000);
  }
}
