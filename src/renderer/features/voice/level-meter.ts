/**
 * The microphone level in the browser: a WebAudio `AnalyserNode` on the input stream, read
 * every few milliseconds as RMS dBFS. It feeds the voice activity gate and the settings' live
 * level meter. The analyser only listens; it is not connected to the speakers.
 */
import { rmsDb } from './voice-activity.js';

/** How often the level is read (ms): fine enough for the gate's 300 ms hangover. */
export const LEVEL_INTERVAL_MS = 20;

export class LevelMeter {
  private readonly source: MediaStreamAudioSourceNode;
  private readonly analyser: AnalyserNode;
  private readonly buffer: Float32Array<ArrayBuffer>;
  private readonly timer: ReturnType<typeof setInterval>;

  /** Starts measuring `stream`; `onLevel` receives dBFS (−100…0) every {@link LEVEL_INTERVAL_MS}. */
  constructor(
    context: AudioContext,
    stream: MediaStream,
    private readonly onLevel: (db: number, now: number) => void,
  ) {
    this.source = context.createMediaStreamSource(stream);
    this.analyser = context.createAnalyser();
    this.analyser.fftSize = 1024;
    this.buffer = new Float32Array(this.analyser.fftSize);
    this.source.connect(this.analyser);
    this.timer = setInterval(() => this.read(), LEVEL_INTERVAL_MS);
  }

  /** The level now, in dBFS. */
  read(): number {
    this.analyser.getFloatTimeDomainData(this.buffer);
    const db = rmsDb(this.buffer);
    this.onLevel(db, performance.now());
    return db;
  }

  stop(): void {
    clearInterval(this.timer);
    this.source.disconnect();
    this.analyser.disconnect();
  }
}
