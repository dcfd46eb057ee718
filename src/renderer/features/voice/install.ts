/**
 * Plugs the voice feature into the renderer at start-up: the controller that runs the media,
 * the panel, the settings tab, the join hook, and (web client) push-to-talk from the page's keys.
 */
import type { HearthBridge } from '../../../shared/ipc/bridge.js';
import type { StateMirror } from '../../../client/state/mirror.js';
import { preloadWhenIdle } from '../../app/preload-when-idle.js';
import { createBrowserPeer, loadBrowserPeer } from './browser-peer.js';
import { listenForFocusedPushToTalk } from './focused-push-to-talk.js';
import { VoiceController } from './voice-controller.js';
import { registerVoiceSlots } from './voice-slots.js';
import { VoicePanel } from './VoicePanel.js';
import { VoiceSettingsTab } from './VoiceSettingsTab.js';

export interface InstallOptions {
  bridge: HearthBridge;
  store: StateMirror;
  /** Desktop: push-to-talk arrives as host events from main; web: from this page's keys. */
  platform: 'web' | 'desktop';
}

/** Creates and starts the voice controller and registers the voice UI. */
export function installVoiceFeature({ bridge, store, platform }: InstallOptions): VoiceController {
  const controller = new VoiceController(
    { bridge, store },
    {
      media: typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined,
      createAudioContext: () => new AudioContext({ latencyHint: 'interactive' }),
      createPeer: createBrowserPeer,
      loadPeer: loadBrowserPeer,
    },
  );
  controller.start();
  preloadWhenIdle(loadBrowserPeer);
  registerVoiceSlots({
    panel: VoicePanel,
    settingsTab: VoiceSettingsTab,
    beforeJoin: (channel) => {
      // Fetched while the microphone opens; the connection waits for it.
      void loadBrowserPeer().catch(() => undefined);
      return controller.beforeJoin(channel);
    },
  });
  if (platform === 'web') {
    listenForFocusedPushToTalk(
      window,
      () => {
        const voice = store.getState().settings.voice;
        return voice.inputMode === 'push-to-talk' ? voice.pushToTalkBinding : null;
      },
      (pressed) => controller.setPushToTalk(pressed),
    );
  }
  return controller;
}
