import { useEffect, useSyncExternalStore } from 'react';
import { isInviteCode } from '../../shared/invite.js';
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
        // A link that names its server becomes that server's invite link: the dialog offers to switch.
        if (event.type === 'open-invite') ui.openModal({ type: 'join-guild', code: event.server ? `${event.server}/invite/${event.code}` : event.code });
        else if (event.type === 'open-channel') ui.selectChannel(event.guildId, event.channelId);
      }),
    [store, ui],
  );

  // An invite link opened in the browser (`/invite/CODE` or `/?invite=CODE`): offer to join once signed in.
  const signedIn = state.user !== null;
  useEffect(() => {
    const code = inviteFromLocation(window.location);
    if (!signedIn || !code) return;
    ui.openModal({ type: 'join-guild', code });
    window.history.replaceState(null, '', window.location.pathname.startsWith('/invite/') ? '/' : window.location.pathname);
  }, [signedIn, ui]);

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

/** The invite code in the page's address, if it was opened from an invite link. */
export function inviteFromLocation(location: Pick<Location, 'pathname' | 'search'>): string | null {
  const fromPath = /^\/invite\/([^/]+)\/?$/.exec(location.pathname)?.[1];
  const code = fromPath ?? new URLSearchParams(location.search).get('invite');
  return isInviteCode(code) ? code : null;
}
