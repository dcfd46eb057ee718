import { useState } from 'react';
import type { Snowflake } from '../../../../shared/snowflake.js';
import type { Application } from '../../../../shared/protocol/entities.js';
import { useClientState, useServices } from '../../../app/hooks.js';
import { describeError, unwrap } from '../../../app/errors.js';
import { ConfirmDialog } from '../../../components/ConfirmDialog.js';
import { BotPermissionPicker } from './BotPermissionPicker.js';

export interface Props {
  application: Application;
  guildId: Snowflake;
  /** The current user's permissions in the guild. */
  granted: bigint;
  onChange(application: Application): void;
  onDelete(applicationId: Snowflake): void;
  /** A new token to show once. */
  onToken(botName: string, token: string): void;
}

/** Discord's privileged intents, each switched by an application flag. */
const PRIVILEGED_INTENTS = [
  { flag: 1 << 12, label: 'Presence intent', hint: 'Receive members’ online status and activities.' },
  { flag: 1 << 14, label: 'Server members intent', hint: 'Receive member joins, leaves and updates, and the full member list.' },
  { flag: 1 << 18, label: 'Message content intent', hint: 'Read the text of messages that do not mention the bot.' },
] as const;

type Dialog = 'reset' | 'delete' | null;

/** One of the user's bots: add it to this server, switch its intents, reset its token, delete it. */
export function BotCard({ application, guildId, granted, onChange, onDelete, onToken }: Props) {
  const { bridge } = useServices();
  const botId = application.bot?.id;
  const inGuild = useClientState((s) => (botId ? s.members[guildId]?.[botId] !== undefined : false));
  const [adding, setAdding] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [status, setStatus] = useState<string | null>(null);
  const name = application.name;

  const add = async (permissions: bigint): Promise<string | null> => {
    const result = await bridge.addBotToGuild(guildId, { application_id: application.id, permissions: permissions.toString() });
    if (!result.ok) return describeError(result.error);
    setAdding(false);
    if (result.value) onChange({ ...application, approximate_guild_count: (application.approximate_guild_count ?? 0) + 1 });
    setStatus(result.value ? `${name} joined this server.` : `${name} was already here; its permissions are updated.`);
    return null;
  };
  const setIntent = async (flag: number, on: boolean) => {
    const flags = on ? application.flags | flag : application.flags & ~flag;
    const result = await bridge.updateApplication(application.id, { flags });
    if (result.ok) onChange(result.value);
    else setStatus(describeError(result.error));
  };

  return (
    <li className="bot-card" aria-label={name}>
      <div className="bot-card-header">
        <span className="bot-card-name">{name}</span>
        <span className="bot-tag">BOT</span>
        <span className="hint">@{application.bot?.username} · in {application.approximate_guild_count ?? 0} server(s){inGuild ? ' · in this server' : ''}</span>
      </div>
      {application.description && <p className="hint">{application.description}</p>}
      <fieldset className="permission-group">
        <legend className="field-label">Privileged gateway intents</legend>
        {PRIVILEGED_INTENTS.map(({ flag, label, hint }) => (
          <label key={flag} className="switch-row">
            <input type="checkbox" checked={(application.flags & flag) !== 0} onChange={(event) => void setIntent(flag, event.target.checked)} />
            <span>{label}<span className="hint">{hint}</span></span>
          </label>
        ))}
      </fieldset>
      {adding ? (
        <BotPermissionPicker botName={name} granted={granted} onAdd={add} onCancel={() => setAdding(false)} />
      ) : (
        <div className="settings-actions">
          <button type="button" className="btn" onClick={() => { setStatus(null); setAdding(true); }}>
            {inGuild ? 'Change permissions' : 'Add to this server'}
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => setDialog('reset')}>Reset token</button>
          <button type="button" className="btn btn-link danger" onClick={() => setDialog('delete')}>Delete bot</button>
          {status && <span className="hint" role="status">{status}</span>}
        </div>
      )}
      {dialog === 'reset' && (
        <ConfirmDialog title={`Reset the token of ${name}?`} confirmLabel="Reset token" danger onClose={() => setDialog(null)}
          onConfirm={async () => onToken(name, await unwrap(bridge.resetBotToken(application.id)))}>
          <p>The bot is signed out everywhere and needs the new token to connect again.</p>
        </ConfirmDialog>
      )}
      {dialog === 'delete' && (
        <ConfirmDialog title={`Delete ${name}?`} confirmLabel="Delete bot" danger onClose={() => setDialog(null)}
          onConfirm={async () => {
            await unwrap(bridge.deleteApplication(application.id));
            onDelete(application.id);
          }}>
          <p>The bot leaves every server it is in and its token stops working. Its messages stay.</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
