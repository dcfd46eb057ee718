/**
 * Remote voices through WebAudio: each participant's stream → GainNode (0–200 %, local mute,
 * deafen) → the context's destination, whose output device is chosen with
 * `AudioContext.setSinkId`. Chromium delivers a remote WebRTC stream to WebAudio only while a
 * media element is also playing it, so each stream gets a muted `<audio>` element as well.
 */
import type { Snowflake } from '../../../shared/snowflake.js';
import type { AudioOutput, RemoteAudio } from './audio-output.js';
import type { MediaStreamLike } from './media-types.js';

/** `AudioContext.setSinkId` (Chromium 110+), not in every DOM typing yet. */
interface SinkSelectable {
  setSinkId(sinkId: string): Promise<void>;
}

export class WebAudioOutput implements AudioOutput {
  constructor(private readonly context: AudioContext) {}

  attach(_userId: Snowflake, stream: MediaStreamLike): RemoteAudio {
    // The voice core's structural stream is the DOM MediaStream in the browser.
    const mediaStream = stream as unknown as MediaStream;
    const element = new Audio();
    element.muted = true;
    element.srcObject = mediaStream;
    // Autoplay of a muted element is always allowed; a refusal only means WebAudio gets no data yet.
    void element.play().catch(() => undefined);
    const source = this.context.createMediaStreamSource(mediaStream);
    const gain = this.context.createGain();
    source.connect(gain).connect(this.context.destination);
    return {
      setGain: (value) => gain.gain.setTargetAtTime(value, this.context.currentTime, 0.015),
      detach: () => {
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
    await context.setSinkId(deviceId ?? '');
    return true;
  }

  /** Browsers start contexts suspended until a user gesture; joining voice is one. */
  resume(): Promise<void> {
    return this.context.resume();
  }
}
