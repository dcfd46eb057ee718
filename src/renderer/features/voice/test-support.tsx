/**
 * Voice component-test helpers: a voice channel, voice states, and rendering inside the app's
 * providers plus a real {@link VoiceController} whose browser media is faked (devices listed,
 * the microphone never answers, so no connection opens unless a test says so).
 */
import { useState, type ReactNode } from 'react';
import { render } from '@testing-library/react';
import type { BridgeResult } from '../../../shared/ipc/bridge.js';
import type { Channel, VoiceState } from '../../../shared/protocol/entities.js';
import type { ClientState } from '../../../shared/ipc/state.js';
import { StateMirror } from '../../../client/state/mirror.js';
import { AppContext, useServices, type AppServices } from '../../app/hooks.js';
import { UiStore } from '../../app/ui-store.js';
import { FakeBridge, GUILD_ID, textChannel } from '../../test-support/harness.js';
import type { PeerFactory } from './peer.js';
import { VoiceContext } from './voice-context.js';
import { VoiceController } from './voice-controller.js';

export const VOICE_ID = '250';

export function voiceChannel(extra: Partial<Channel> = {}): Channel {
  return textChannel(VOICE_ID, 'Lounge', { type: 2, bitrate: 64_000, user_limit: 0, ...extra });
}

export function voiceState(userId: string, sessionId: string, extra: Partial<VoiceState> = {}): VoiceState {
  return {
    guild_id: GUILD_ID, channel_id: VOICE_ID, user_id: userId, session_id: sessionId, deaf: false, mute: false,
    self_deaf: false, self_mute: false, self_video: false, suppress: false, request_to_speak_timestamp: null, ...extra,
  };
}

/** Audio devices as `enumerateDevices` lists them. */
export const DEVICES = [
  { kind: 'audioinput', deviceId: 'default', label: 'Default', groupId: 'g0' },
  { kind: 'audioinput', deviceId: 'mic-usb', label: 'USB Microphone', groupId: 'g1' },
  { kind: 'audiooutput', deviceId: 'default', label: 'Default', groupId: 'g0' },
  { kind: 'audiooutput', deviceId: 'headset', label: 'Headset', groupId: 'g2' },
] as MediaDeviceInfo[];

const fakeMedia = {
  enumerateDevices: () => Promise.resolve(DEVICES),
  // Never answers: nothing in these tests opens a real microphone.
  getUserMedia: () => new Promise<MediaStream>(() => undefined),
} as unknown as MediaDevices;

const unusedPeer: PeerFactory = () => {
  throw new Error('no peers in component tests');
};

/**
 * Renders `ui` with the app's services and a started voice controller. `answers`: bridge results
 * by method, in place before the first render (calls made on mount see them).
 */
export function renderWithVoice(ui: ReactNode, state: ClientState, answers: Record<string, BridgeResult<unknown>> = {}) {
  const holder: { controller: VoiceController | null } = { controller: null };
  function WithVoice({ children }: { children: ReactNode }) {
    const services = useServices();
    const [controller] = useState(() => {
      const created = new VoiceController(services, {
        media: fakeMedia,
        createAudioContext: () => ({ resume: () => Promise.resolve(), close: () => Promise.resolve() }) as unknown as AudioContext,
        createPeer: unusedPeer,
      });
      created.start();
      return created;
    });
    holder.controller = controller;
    return <VoiceContext.Provider value={controller}>{children}</VoiceContext.Provider>;
  }
  const fake = new FakeBridge(state);
  for (const [method, answer] of Object.entries(answers)) fake.answers.set(method, answer);
  const services: AppServices = { bridge: fake.bridge, store: new StateMirror(fake.bridge), ui: new UiStore(null) };
  const rendered = render(<AppContext.Provider value={services}><WithVoice>{ui}</WithVoice></AppContext.Provider>);
  return { ...rendered, fake, services, controller: holder.controller as unknown as VoiceController };
}
