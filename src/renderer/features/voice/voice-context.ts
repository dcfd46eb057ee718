/**
 * React access to the voice feature: the controller (set up once at start-up by
 * `installVoiceFeature`) and its view store. Components outside the voice feature (the channel
 * list's speaking rings) work without it: no controller, nobody shown speaking.
 */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Snowflake } from '../../../shared/snowflake.js';
import type { VoiceController } from './voice-controller.js';
import { INITIAL_VOICE_VIEW, isSpeaking, type VoiceViewState } from './voice-store.js';

export const VoiceContext = createContext<VoiceController | null>(null);

/** The voice controller, or null when the voice feature is not installed. */
export function useVoiceController(): VoiceController | null {
  return useContext(VoiceContext);
}

const noSubscribe = () => () => undefined;
const initial = () => INITIAL_VOICE_VIEW;

/** A slice of the voice view state (same rule as `useClientState`: return slices or primitives). */
export function useVoiceView<T>(select: (state: VoiceViewState) => T): T {
  const controller = useContext(VoiceContext);
  const store = controller?.view;
  return useSyncExternalStore(store?.subscribe ?? noSubscribe, () => select(store ? store.getState() : initial()));
}

/** Whether the user shows a speaking ring now. */
export function useSpeaking(userId: Snowflake): boolean {
  return useVoiceView((view) => isSpeaking(view, userId));
}
