/**
 * The peer factory for the renderer: simple-peer's browser bundle on Chromium's WebRTC.
 * (Node tests pass `simple-peer` with `@roamhq/wrtc` instead.)
 *
 * The bundle (about 100 kB, its own Buffer/stream/events inside) is only needed once the user is
 * in a voice channel, so it is a separate chunk: {@link loadBrowserPeer} fetches it (on the join
 * click, or when the browser is idle after start-up) and {@link createBrowserPeer} uses it.
 */
import type { PeerFactory, PeerLike, PeerOptions } from './peer.js';

type PeerConstructor = new (options: PeerOptions) => PeerLike;

let SimplePeer: PeerConstructor | null = null;
let loading: Promise<void> | null = null;

/** Loads simple-peer once; concurrent and later calls share the load (retried after a failure). */
export function loadBrowserPeer(): Promise<void> {
  loading ??= import('simple-peer/simplepeer.min.js').then(
    (module) => {
      SimplePeer = module.default;
    },
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/** Builds a peer; {@link loadBrowserPeer} must have finished (the controller awaits it first). */
export const createBrowserPeer: PeerFactory = (options) => {
  if (!SimplePeer) throw new Error('The WebRTC peer library is not loaded yet');
  return new SimplePeer(options);
};
