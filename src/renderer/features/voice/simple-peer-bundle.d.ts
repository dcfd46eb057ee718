/**
 * simple-peer's self-contained browser bundle (its own Buffer/stream/events inside), so the
 * renderer build needs no Node polyfills. Typed with the voice core's peer surface.
 */
declare module 'simple-peer/simplepeer.min.js' {
  import type { PeerLike, PeerOptions } from './peer.js';

  const SimplePeer: new (options: PeerOptions) => PeerLike;
  export default SimplePeer;
}
