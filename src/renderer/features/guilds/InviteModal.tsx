import { useCallback, useEffect, useState } from 'react';
import type { Snowflake } from '../../../shared/snowflake.js';
import type { Invite } from '../../../shared/protocol/entities.js';
import { useClientState, useServices } from '../../app/hooks.js';
import { describeError } from '../../app/errors.js';
import { Modal } from '../../components/Modal.js';

export interface Props {
  guildId: Snowflake;
  channelId: Snowflake;
}

/** Expiry choices, in seconds (0 = never), as Discord offers. */
export const EXPIRY_CHOICES: { seconds: number; label: string }[] = [
  { seconds: 1800, label: '30 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 21600, label: '6 hours' },
  { seconds: 43200, label: '12 hours' },
  { seconds: 86400, label: '1 day' },
  { seconds: 604800, label: '7 days' },
  { seconds: 0, label: 'Never' },
];
export const USES_CHOICES = [0, 1, 5, 10, 25, 50, 100];

/** The shareable link of an invite on this server. */
export function inviteLink(serverUrl: string | null, code: string): string {
  return serverUrl ? `${serverUrl}/invite/${code}` : code;
}

/** "Invite friends": creates an invite with expiry and max uses, shows the link with Copy. */
export function InviteModal({ guildId, channelId }: Props) {
  const { bridge, ui } = useServices();
  const guild = useClientState((s) => s.guilds[guildId]);
  const serverUrl = useClientState((s) => s.serverUrl);
  const [maxAge, setMaxAge] = useState(604800);
  const [maxUses, setMaxUses] = useState(0);
  const [invite, setInvite] = useState<Invite | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const create = useCallback(async (max_age: number, max_uses: number) => {
    setError(null);
    const result = await bridge.createInvite(channelId, { max_age, max_uses });
    if (result.ok) setInvite(result.value);
    else setError(describeError(result.error));
  }, [bridge, channelId]);

  useEffect(() => {
    void create(604800, 0);
  }, [create]);

  const link = invite ? inviteLink(serverUrl, invite.code) : '';
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setError('Could not copy: select the link and copy it by hand.');
    }
  };

  return (
    <Modal title={`Invite friends to ${guild?.name ?? 'this server'}`} onClose={() => ui.closeModal()}>
      {error && <div className="error-banner" role="alert">{error}</div>}
      <div className="field">
        <label className="field-label" htmlFor="invite-link">Send a server invite link to a friend</label>
        <div className="copy-row">
          <input id="invite-link" className="input" readOnly value={link} onFocus={(event) => event.target.select()} aria-busy={!invite} />
          <button type="button" className={copied ? 'btn btn-copied' : 'btn'} disabled={!invite} onClick={() => void copy()}>
            {copied ? 'Copied' : 'Copy'}
          </button>
        </div>
        {invite && (
          <span className="hint">
            Invite code <code data-testid="invite-code">{invite.code}</code>
            {invite.max_age ? `, expires in ${EXPIRY_CHOICES.find((c) => c.seconds === invite.max_age)?.label ?? `${invite.max_age} s`}` : ', never expires'}
            {invite.max_uses ? `, ${invite.max_uses} use${invite.max_uses === 1 ? '' : 's'}` : ''}.
          </span>
        )}
      </div>
      <div className="field-row">
        <label className="field">
          <span className="field-label">Expire after</span>
          <select className="input" value={maxAge} onChange={(event) => setMaxAge(Number(event.target.value))}>
            {EXPIRY_CHOICES.map((c) => <option key={c.seconds} value={c.seconds}>{c.label}</option>)}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Max number of uses</span>
          <select className="input" value={maxUses} onChange={(event) => setMaxUses(Number(event.target.value))}>
            {USES_CHOICES.map((n) => <option key={n} value={n}>{n === 0 ? 'No limit' : `${n} use${n === 1 ? '' : 's'}`}</option>)}
          </select>
        </label>
      </div>
      <button type="button" className="btn btn-secondary" onClick={() => void create(maxAge, maxUses)}>Generate a New Link</button>
    </Modal>
  );
}
