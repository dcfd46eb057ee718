import { describe, expect, it } from 'vitest';
import type { BridgeListener } from '../../shared/ipc/bridge.js';
import { StateMirror } from './mirror.js';
import { createInitialState, reduce } from './reducer.js';
import { dispatch, ready } from '../test-support/fixtures.js';

/** A push channel the test drives, like the preload's. */
function channel() {
  let listener: BridgeListener | undefined;
  return {
    subscribe(l: BridgeListener) {
      listener = l;
      return () => {
        listener = undefined;
      };
    },
    push: (event: Parameters<BridgeListener>[0]) => listener?.(event),
    get subscribed() {
      return listener !== undefined;
    },
  };
}

describe('StateMirror', () => {
  it('takes the snapshot, then applies each action with the reducer and notifies', () => {
    const pushes = channel();
    const mirror = new StateMirror(pushes);
    let changes = 0;
    mirror.subscribe(() => (changes += 1));
    const snapshot = reduce(createInitialState(), { type: 'server-url', serverUrl: 'https://x.example' });
    pushes.push({ type: 'snapshot', state: snapshot });
    expect(mirror.isSynced).toBe(true);
    expect(mirror.getState()).toBe(snapshot);
    const action = dispatch('READY', ready());
    pushes.push({ type: 'action', action });
    expect(mirror.getState()).toEqual(reduce(snapshot, action));
    expect(changes).toBe(2);
  });

  it('passes host events through without touching the state, and unsubscribes on dispose', () => {
    const pushes = channel();
    const mirror = new StateMirror(pushes);
    const events: unknown[] = [];
    mirror.onHostEvent((event) => events.push(event));
    const before = mirror.getState();
    pushes.push({ type: 'host', event: { type: 'push-to-talk', pressed: true } });
    expect(events).toEqual([{ type: 'push-to-talk', pressed: true }]);
    expect(mirror.getState()).toBe(before);
    mirror.dispose();
    expect(pushes.subscribed).toBe(false);
  });
});
