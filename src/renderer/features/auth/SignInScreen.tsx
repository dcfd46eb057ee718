import { useEffect, useState, type FormEvent } from 'react';
import type { BridgeError } from '../../../shared/ipc/bridge.js';
import { normalizeServerUrl } from '../../../client/session.js';
import { parseInviteLink } from '../../../shared/invite.js';
import { useBridge, useClientState, useUi } from '../../app/hooks.js';
import { describeError, fieldErrors, isUnreachable } from '../../app/errors.js';
import { TextField } from '../../components/TextField.js';
import { UnreachableScreen } from './UnreachableScreen.js';

type Mode = 'login' | 'register';

/** The page's own origin when served by a Hearth server (the web client); empty in the desktop app. */
function defaultServerUrl(): string {
  return /^https?:$/.test(window.location.protocol) ? window.location.origin : '';
}

/**
 * Sign in or create an account on a server the user picks (remembered by the client core).
 * Field errors from the server show beside their fields; an unreachable server gets its own screen.
 */
export function SignInScreen() {
  const bridge = useBridge();
  const rememberedUrl = useClientState((s) => s.serverUrl);
  // An invite link opened before signing in: its server is the one to sign in to.
  const pendingInvite = parseInviteLink(useUi((s) => (s.modal?.type === 'join-guild' ? (s.modal.code ?? null) : null)));
  const [mode, setMode] = useState<Mode>('login');
  const [serverUrl, setServerUrl] = useState(pendingInvite?.server ?? rememberedUrl ?? defaultServerUrl());
  const inviteServer = pendingInvite?.server ?? null;
  useEffect(() => {
    if (inviteServer) setServerUrl(inviteServer);
  }, [inviteServer]);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [unreachable, setUnreachable] = useState<{ url: string; error: BridgeError } | null>(null);
  const [busy, setBusy] = useState(false);

  const fail = (error: BridgeError, url: string) => {
    if (isUnreachable(error)) {
      setUnreachable({ url, error });
      return;
    }
    const fields = fieldErrors(error);
    if (fields.login && !fields.username) fields.username = fields.login;
    setErrors(fields);
    setBanner(Object.keys(fields).length > 0 ? null : describeError(error));
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const url = normalizeServerUrl(serverUrl);
    if (!url) {
      setErrors({ server: serverUrl.trim() ? 'Enter a web address such as https://chat.example.org' : 'Enter the address of your Hearth server' });
      return;
    }
    setBusy(true);
    setErrors({});
    setBanner(null);
    try {
      if (url !== rememberedUrl) {
        const checked = await bridge.setServerUrl(url);
        if (!checked.ok) {
          if (isUnreachable(checked.error) && checked.error.message.includes('not a Hearth server')) {
            setErrors({ server: checked.error.message });
          } else fail(checked.error, url);
          return;
        }
      }
      const result = mode === 'login'
        ? await bridge.login({ login: username.trim(), password })
        : await bridge.register({ username: username.trim(), password, global_name: displayName.trim() || null });
      if (!result.ok) fail(result.error, url);
    } finally {
      setBusy(false);
    }
  };

  if (unreachable) {
    return (
      <UnreachableScreen
        url={unreachable.url}
        message={unreachable.error.message}
        retrying={busy}
        onRetry={() => {
          setUnreachable(null);
          void submit();
        }}
        onChangeServer={() => setUnreachable(null)}
      />
    );
  }

  const switchMode = () => {
    setMode(mode === 'login' ? 'register' : 'login');
    setErrors({});
    setBanner(null);
  };

  return (
    <main className="auth-screen">
      <form className="auth-card" onSubmit={(event) => void submit(event)} noValidate>
        <h1>{mode === 'login' ? 'Sign in to Hearth' : 'Create an account'}</h1>
        <p className="auth-subtitle">
          {mode === 'login' ? 'Welcome back! Good to see you again.' : 'Join your community on this Hearth server.'}
        </p>
        {banner && <div className="error-banner" role="alert">{banner}</div>}
        {pendingInvite && (
          <p className="hint" role="status">
            Sign in or create an account{pendingInvite.server ? ` on ${pendingInvite.server}` : ''} to join the invite you opened.
          </p>
        )}
        <TextField
          label="Server address"
          name="server"
          type="url"
          inputMode="url"
          autoComplete="url"
          placeholder="https://chat.example.com"
          value={serverUrl}
          error={errors.server}
          required
          onChange={(event) => setServerUrl(event.target.value)}
        />
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          error={errors.username}
          required
          onChange={(event) => setUsername(event.target.value)}
        />
        {mode === 'register' && (
          <TextField
            label="Display name"
            name="global_name"
            autoComplete="nickname"
            value={displayName}
            error={errors.global_name}
            hint="This is how others see you. You can use special characters and emoji."
            onChange={(event) => setDisplayName(event.target.value)}
          />
        )}
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          value={password}
          error={errors.password}
          required
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" className="btn auth-submit" disabled={busy}>
          {mode === 'login' ? 'Log In' : 'Continue'}
        </button>
        <p className="auth-switch">
          {mode === 'login' ? 'Need an account?' : 'Already have an account?'}{' '}
          <button type="button" className="btn btn-link" onClick={switchMode}>
            {mode === 'login' ? 'Register' : 'Log In'}
          </button>
        </p>
      </form>
    </main>
  );
}
