import { useEffect } from 'react';
import type { HearthBridge } from '../../shared/ipc/bridge.js';
import type { StateMirror } from '../../client/state/mirror.js';

const ACTIVITY_EVENTS = ['pointermove', 'pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Web client auto-idle (the desktop app does this in main with the system idle time): after the
 * configured minutes without input in the page, an online user shows as idle, and comes back
 * online on the next input. Never touches dnd or invisible, or an idle the user chose.
 */
export function useWebAutoIdle(bridge: HearthBridge, store: StateMirror, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    let autoIdle = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const minutes = () => store.getState().settings.desktop.idleAfterMinutes;
    const arm = () => {
      clearTimeout(timer);
      if (minutes() <= 0) return;
      timer = setTimeout(() => {
        if (store.getState().selfStatus !== 'online') return;
        autoIdle = true;
        void bridge.setStatus('idle');
      }, minutes() * 60_000);
    };
    const onActivity = () => {
      if (autoIdle) {
        autoIdle = false;
        if (store.getState().selfStatus === 'idle') void bridge.setStatus('online');
      }
      arm();
    };
    arm();
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity);
    };
  }, [bridge, store, enabled]);
}
