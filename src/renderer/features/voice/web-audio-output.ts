/**
 * Remote voices: each participant's stream plays through an `<audio>` element (Chromium's WebRTC
 * playout path) at the user's volume up to 100 %. Chromium measures a received track's
 * `audioLevel` at that playout, after the element's volume, so a muted element would leave
 * inbound levels (speaking rings, stats) at zero. Above 100 % the element is muted and the
 * stream goes through WebAudio instead: a GainNode (up to 200 %) → the context's destination;
 * Chromium feeds WebAudio a remote stream only while an element plays it, which the muted
 * element does. The output device is set on both (`setSinkId`).
 */
import type { Snowflake } from '../../../shared/snowflake.js';
import type { AudioOutput, RemoteAudio } from './audio-output.js';
import type { MediaStreamLike } from './media-types.js';

/** `AudioContext.setSinkId` (Chromium 110+), not in every DOM typing yet. */
interface SinkSelectable {
  setSinkId(sinkId: string): Promise<void>;
}

export class WebAudioOutput implements AudioOutput {
  private readonly elements = new Set<HTMLAudioElement & Partial<SinkSelectable>>();
  private sinkId = '';

  constructor(private readonly context: AudioContext) {}

  attach(_userId: Snowflake, stream: MediaStreamLike): RemoteAudio {
    // The voice core's structural stream is the DOM MediaStream in the browser.
    const mediaStream = stream as unknown as MediaStream;
    const element: HTMLAudioElement & Partial<SinkSelectable> = new Audio();
    element.srcObject = mediaStream;
    if (this.sinkId && typeof element.setSinkId === 'function') element.setSinkId(this.sinkId).catch(() => undefined);
    this.elements.add(element);
    // Joining voice is a click, so the page may play sound; a refusal leaves this voice silent.
    void element.play().catch(() => undefined);
    const source = this.context.createMediaStreamSource(mediaStream);
    const gain = this.context.createGain();
    // Silent until setGain picks the path (the element plays up to 100 %).
    gain.gain.value = 0;
    source.connect(gain).connect(this.context.destination);
    return {
      setGain: (value) => {
        const boosted = value > 1;
        element.muted = boosted;
        element.volume = boosted ? 1 : Math.max(0, value);
        gain.gain.setTargetAtTime(boosted ? value : 0, this.context.currentTime, 0.015);
      },
      detach: () => {
        this.elements.delete(element);
        source.disconnect();
        gain.disconnect();
        element.pause();
        element.srcObject = null;
      },
    };
  }

  /** Plays through the given output device (null: the system default). False when not supported. */
  async setOutputDevice(deviceId: string | null): Promise<boolean> {
    const context = this.context as AudioContext & Partial<SinkSelectable>;
    if (typeof context.setSinkId !== 'function') return false;
    this.sinkId = deviceId ?? '';
    await Promise.all([
      context.setSinkId(this.sinkId),
      ...[...this.elements].map((element) => (typeof element.setSinkId === 'function' ? element.setSinkId(this.sinkId) : undefined)),
    ]);
    return true;
  }

  /** Browsers start contexts suspended until a user gesture; joining voice is one. */
  resume(): Promise<void> {
    return this.context.resume();
  }
}
