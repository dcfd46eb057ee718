/**
 * What the host says about itself (platform, version, global push-to-talk, auto-update), with the
 * update state kept live from the host's `update` events.
 */
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/ipc/bridge.js';
import { useServices } from '../../app/hooks.js';

/** The host's {@link AppInfo}; null until the first answer (or when the host cannot say). */
export function useAppInfo(): AppInfo | null {
  const { bridge, store } = useServices();
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let live = true;
    // An update event can arrive before getAppInfo answers: the event is newer, so it wins.
    let pushed: AppInfo['update'] | null = null;
    const stop = store.onHostEvent((event) => {
      if (event.type !== 'update') return;
      pushed = event.update;
      setInfo((current) => (current ? { ...current, update: event.update } : current));
    });
    void bridge.getAppInfo().then((result) => {
      if (live && result.ok) setInfo(pushed ? { ...result.value, update: pushed } : result.value);
    });
    return () => {
      live = false;
      stop();
    };
  }, [bridge, store]);
  return info;
}
