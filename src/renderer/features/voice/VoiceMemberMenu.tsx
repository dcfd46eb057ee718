import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import type { Snowflake } from '../../../shared/snowflake.js';
import { useBridge, useClientState } from '../../app/hooks.js';

export interface Props {
  userId: Snowflake;
  name: string;
  x: number;
  y: number;
  onClose(): void;
}

/**
 * A participant's menu: their volume for this client (0–200 %) and local mute (only this client
 * stops hearing them). Both are remembered in the settings. Esc or a click outside closes it.
 */
export function VoiceMemberMenu({ userId, name, x, y, onClose }: Props) {
  const bridge = useBridge();
  const userVolumes = useClientState((s) => s.settings.voice.userVolumes);
  const volume = userVolumes[userId] ?? 100;
  const mutedUsers = useClientState((s) => s.settings.voice.mutedUsers);
  const muted = mutedUsers.includes(userId);
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    box.current?.querySelector<HTMLElement>('input')?.focus();
    const onPointer = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) close.current();
    };
    document.addEventListener('mousedown', onPointer);
    return () => document.removeEventListener('mousedown', onPointer);
  }, []);

  // The record is replaced as a whole; 100 % is the default, so it is not stored.
  const setVolume = (percent: number) => {
    const next = { ...userVolumes };
    if (percent === 100) delete next[userId];
    else next[userId] = percent;
    void bridge.updateSettings({ voice: { userVolumes: next } });
  };
  const left = Math.min(x, window.innerWidth - 240);
  const top = Math.min(y, window.innerHeight - 140);
  return createPortal(
    <div
      ref={box}
      className="voice-member-menu"
      role="dialog"
      aria-label={`Voice options for ${name}`}
      style={{ left, top }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <label className="field-label" htmlFor={`voice-volume-${userId}`}>User Volume</label>
      <div className="slider-row">
        <input
          id={`voice-volume-${userId}`}
          type="range"
          min={0}
          max={200}
          step={1}
          value={volume}
          aria-valuetext={`${volume}%`}
          onChange={(event) => setVolume(Number(event.target.value))}
        />
        <output htmlFor={`voice-volume-${userId}`}>{volume}%</output>
      </div>
      <label className="switch-row">
        <input
          type="checkbox"
          checked={muted}
          onChange={(event) => void bridge.updateSettings({ voice: { mutedUsers: event.target.checked ? [...mutedUsers, userId] : mutedUsers.filter((id) => id !== userId) } })}
        />
        <span>Mute</span>
      </label>
    </div>,
    document.body,
  );
}
