/**
 * Where voice media (issue 7: the WebRTC mesh, devices, push-to-talk) plugs into the UI without
 * the rest of the renderer knowing about it: a panel above the user panel, a tab in user settings,
 * and a hook run when the user joins a voice channel. Each is empty until the voice feature
 * registers it at start-up.
 */
import type { ComponentType } from 'react';
import type { Channel } from '../../../shared/protocol/entities.js';

export interface VoiceSlots {
  /** Replaces the built-in connection panel (shown while in a voice channel). */
  panel: ComponentType | null;
  /** Content of the "Voice & Video" tab in user settings; the tab is hidden while null. */
  settingsTab: ComponentType | null;
  /** Runs before the client asks to join (e.g. to request the microphone); false cancels. */
  beforeJoin: ((channel: Channel) => Promise<boolean>) | null;
}

export const voiceSlots: VoiceSlots = { panel: null, settingsTab: null, beforeJoin: null };

/** Registers voice UI pieces (called once by the voice feature at start-up). */
export function registerVoiceSlots(slots: Partial<VoiceSlots>): void {
  Object.assign(voiceSlots, slots);
}
