import { useEffect, useState } from 'react';
import { SILENCE_DB } from './voice-activity.js';
import { useVoiceController } from './voice-context.js';

export interface Props {
  /** Whether the voice activity threshold is drawn on the meter. */
  showThreshold: boolean;
}

/** dBFS (−100…0) as a share of the meter's width. */
function toPercent(db: number): number {
  return Math.max(0, Math.min(100, ((db - SILENCE_DB) / -SILENCE_DB) * 100));
}

/**
 * The live microphone level, with the voice activity threshold marked: green while the level is
 * above it (what would be sent), grey below.
 */
export function InputLevelMeter({ showThreshold }: Props) {
  const controller = useVoiceController();
  const [level, setLevel] = useState<{ db: number; thresholdDb: number }>({ db: SILENCE_DB, thresholdDb: SILENCE_DB });
  useEffect(() => {
    if (!controller) return undefined;
    // Levels arrive every 20 ms; a repaint per animation frame is plenty.
    let latest: { db: number; thresholdDb: number } | null = null;
    let frame = 0;
    const stop = controller.monitorInput((db, thresholdDb) => {
      latest = { db, thresholdDb };
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          if (latest) setLevel(latest);
        });
      }
    });
    return () => {
      stop();
      cancelAnimationFrame(frame);
    };
  }, [controller]);
  const open = level.db >= level.thresholdDb;
  return (
    <div
      className="input-meter"
      role="meter"
      aria-label="Microphone level"
      aria-valuemin={SILENCE_DB}
      aria-valuemax={0}
      aria-valuenow={Math.round(level.db)}
      aria-valuetext={`${Math.round(level.db)} dB`}
    >
      <div className={showThreshold && open ? 'input-meter-fill open' : 'input-meter-fill'} style={{ width: `${toPercent(level.db)}%` }} />
      {showThreshold && <div className="input-meter-threshold" style={{ left: `${toPercent(level.thresholdDb)}%` }} />}
    </div>
  );
}
