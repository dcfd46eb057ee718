import { useEffect, useState } from 'react';
import type { Invite } from '../../../shared/protocol/entities.js';
import { useServices } from '../../app/hooks.js';
import { describeError } from '../../app/errors.js';
import { Modal } from '../../components/Modal.js';
import { TextField } from '../../components/TextField.js';

export interface Props {
  /** Prefilled from a deep link (`hearth://invite/CODE`). */
  initialCode?: string;
}

/** Join by invite code or link: shows which server it is, then joins and opens it. */
export function JoinGuildModal({ initialCode }: Props) {
  const { bridge, ui } = useServices();
  const [code, setCode] = useState(initialCode ?? '');
  const [preview, setPreview] = useState<Invite | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Look the invite up as the user types (debounced), so they see where it leads.
  useEffect(() => {
    setPreview(null);
    if (!code.trim()) return;
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
  }, [bridge, code]);

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
        <p className="hint">Invites look like <code>hTKzmak</code>, <code>https://your.server/invite/hTKzmak</code> or <code>hearth://invite/hTKzmak</code>.</p>
      </form>
    </Modal>
  );
}
