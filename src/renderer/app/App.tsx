import { useEffect, useSyncExternalStore } from 'react';
import { useServices } from './hooks.js';
import { useTheme } from './theme.js';
import { SignInScreen } from '../features/auth/SignInScreen.js';
import { MainLayout } from './MainLayout.js';

/** The root: a splash until the first snapshot, then sign-in or the main layout. */
export function App() {
  const { store, ui } = useServices();
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const synced = useSyncExternalStore(store.subscribe, () => store.isSynced);
  useTheme(state.settings.theme);

  // Deep links and notification clicks from the desktop host.
  useEffect(
    () =>
      store.onHostEvent((event) => {
        if (event.type === 'open-invite') ui.openModal({ type: 'join-guild', code: event.code });
        else if (event.type === 'open-channel') ui.selectChannel(event.guildId, event.channelId);
      }),
    [store, ui],
  );

  if (!synced) {
    return (
      <div className="splash" role="status">
        <span className="splash-mark" aria-hidden="true" />
        <span>Starting Hearth…</span>
      </div>
    );
  }
  return state.user ? <MainLayout /> : <SignInScreen />;
}
