import { useEffect, useState } from 'react';
import { desktopInviteLink, parseInviteLink } from '../../../shared/invite.js';
import type { Invite } from '../../../shared/protocol/entities.js';
import { useClientState, useServices } from '../../app/hooks.js';
import { describeError } from '../../app/errors.js';
import { Modal } from '../../components/Modal.js';
import { TextField } from '../../components/TextField.js';
import { useAppInfo } from '../desktop/app-info.js';

export interface Props {
  /** Prefilled from a deep link or an invite page: a code, or a link that may name its server. */
  initialCode?: string;
}

/** A server address as people read it: `chat.example.org`, `example.org/hearth`, `http://10.0.0.5:8080`. */
function displayServer(url: string): string {
  return url.startsWith('https://') ? url.slice('https://'.length) : url;
}

/**
 * Join by invite code or link: shows which server it is, then joins and opens it. A link to a
 * community on another Hearth server is never looked up here: the dialog offers to switch to
 * that server instead (which signs out of this one), and opens again there after signing in.
 */
export function JoinGuildModal({ initialCode }: Props) {
  const { bridge, ui } = useServices();
  const currentServer = useClientState((s) => s.serverUrl);
  const [code, setCode] = useState(initialCode ?? '');
  const [preview, setPreview] = useState<Invite | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const link = parseInviteLink(code);
  const otherServer = link?.server && link.server !== currentServer ? link.server : null;

  // Look the invite up as the user types (debounced), so they see where it leads.
  useEffect(() => {
    setPreview(null);
    if (!code.trim() || otherServer) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void bridge.getInvite(code.trim()).then((result) => {
        if (!cancelled && result.ok) setPreview(result.value);
      });
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [bridge, code, otherServer]);

  const join = async () => {
    if (!code.trim()) {
      setError('Please enter a valid invite link or invite code.');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await bridge.acceptInvite(code.trim());
    setBusy(false);
    if (!result.ok) {
      setError(result.error.status === 404 ? 'The invite is invalid or has expired.' : describeError(result.error));
      return;
    }
    ui.closeModal();
    ui.selectChannel(result.value.guild.id, result.value.channel.id);
  };

  const switchServer = async (server: string, inviteCode: string) => {
    setBusy(true);
    setError(null);
    const result = await bridge.setServerUrl(server);
    setBusy(false);
    if (!result.ok) {
      setError(describeError(result.error));
      return;
    }
    // The dialog comes back with the code once the user has signed in on that server.
    ui.openModal({ type: 'join-guild', code: inviteCode });
  };

  if (otherServer && link) {
    const name = displayServer(otherServer);
    return (
      <Modal
        title="Switch server?"
        description={`This invite is for a community on ${name}.`}
        onClose={() => ui.closeModal()}
        footer={
          <>
            <button type="button" className="btn btn-link" onClick={() => ui.closeModal()}>Cancel</button>
            <button type="button" className="btn" disabled={busy} onClick={() => void switchServer(otherServer, link.code)}>Switch to {name}</button>
          </>
        }
      >
        <p>
          Hearth is connected to <strong>{currentServer ? displayServer(currentServer) : 'no server'}</strong>. Switching signs you out
          there; you then sign in or create an account on <strong>{name}</strong>, and the invite opens.
        </p>
        {error && <p className="field-error" role="alert">{error}</p>}
      </Modal>
    );
  }

  return (
    <Modal
      title="Join a Server"
      description="Enter an invite below to join an existing server."
      onClose={() => ui.closeModal()}
      footer={
        <>
          <button type="button" className="btn btn-link" onClick={() => ui.openModal({ type: 'create-guild' })}>Create a server instead</button>
          <button type="submit" form="join-guild" className="btn" disabled={busy}>Join Server</button>
        </>
      }
    >
      <form id="join-guild" onSubmit={(event) => { event.preventDefault(); void join(); }}>
        <TextField
          label="Invite link"
          placeholder="https://hearth.example/invite/hTKzmak or hTKzmak"
          value={code}
          error={error}
          required
          autoFocus
          onChange={(event) => setCode(event.target.value)}
        />
        {preview && (
          <p className="invite-preview" aria-live="polite">
            You are joining <strong>{preview.guild.name}</strong>
            {preview.approximate_member_count !== undefined && <> · {preview.approximate_member_count} members</>}
          </p>
        )}
        {preview && currentServer && <OpenInDesktopApp server={currentServer} code={preview.code} />}
        <p className="hint">
          Invites look like <code>hTKzmak</code>, <code>https://your.server/invite/hTKzmak</code> or <code>hearth://invite/your.server/hTKzmak</code>.
        </p>
      </form>
    </Modal>
  );
}

/** In the web client: the same invite as a `hearth://` link, which opens the desktop app where it is installed. */
function OpenInDesktopApp({ server, code }: { server: string; code: string }) {
  const info = useAppInfo();
  const href = info?.platform === 'web' ? desktopInviteLink(server, code) : null;
  return href ? <p className="hint"><a href={href}>Open in the Hearth app</a></p> : null;
}
