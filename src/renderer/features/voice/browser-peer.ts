/**
 * The peer factory for the renderer: simple-peer's browser bundle on Chromium's WebRTC.
 * (Node tests pass `simple-peer` with `@roamhq/wrtc` instead.)
 */
import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { PeerFactory } from './peer.js';

export const createBrowserPeer: PeerFactory = (options) => new SimplePeer(options);
