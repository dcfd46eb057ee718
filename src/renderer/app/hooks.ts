/**
 * React access to the stores: the bridge, the client state (through selectors that return slices
 * of the immutable state, so unchanged slices do not re-render) and the UI store.
 */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { HearthBridge } from '../../shared/ipc/bridge.js';
import type { ClientState } from '../../shared/ipc/state.js';
import type { StateMirror } from '../../client/state/mirror.js';
import type { UiState, UiStore } from './ui-store.js';

export interface AppServices {
  /** The renderer's copy of the client state (snapshot + actions through the shared reducer). */
  store: StateMirror;
  ui: UiStore;
  bridge: HearthBridge;
}

export const AppContext = createContext<AppServices | null>(null);

/** The app's services; throws outside the provider (a programming error). */
export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useServices must be used inside <AppContext.Provider>');
  return services;
}

export function useBridge(): HearthBridge {
  return useServices().bridge;
}

/**
 * A slice of the client state. `select` must return something that only changes when the
 * state does (a record, an entity, a primitive); derive arrays with useMemo on top.
 */
export function useClientState<T>(select: (state: ClientState) => T): T {
  const { store } = useServices();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}

/** A slice of the UI state (same rule as {@link useClientState}). */
export function useUi<T>(select: (state: UiState) => T): T {
  const { ui } = useServices();
  return useSyncExternalStore(ui.subscribe, () => select(ui.getState()));
}

/** The width below which the member list is a drawer instead of a fourth column (see layout.css). */
const NARROW_QUERY = '(max-width: 980px)';

function subscribeNarrow(onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => undefined;
  const query = window.matchMedia(NARROW_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** True while the window is too narrow for four columns. */
export function useNarrowLayout(): boolean {
  return useSyncExternalStore(subscribeNarrow, () => typeof window.matchMedia === 'function' && window.matchMedia(NARROW_QUERY).matches);
}
