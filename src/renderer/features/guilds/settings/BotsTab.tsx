import { useCallback, useEffect, useState } from 'react';
import type { Snowflake } from '../../../../shared/snowflake.js';
import type { Application } from '../../../../shared/protocol/entities.js';
import { selectGuildPermissions } from '../../../../client/state/selectors.js';
import { useClientState, useServices } from '../../../app/hooks.js';
import { describeError, fieldErrors } from '../../../app/errors.js';
import { TextField } from '../../../components/TextField.js';
import { BotCard } from './BotCard.js';
import { BotTokenNotice } from './BotTokenNotice.js';

export interface Props {
  guildId: Snowflake;
}

/**
 * Bots (Discord's "Integrations"): the user's bot applications. Create one (its token is shown
 * once), add it to this server with the permissions of its own role, reset its token, delete it.
 * A bot is any discord.js bot pointed at this server (see the README's Bots section).
 */
export function BotsTab({ guildId }: Props) {
  const { bridge } = useServices();
  const granted = useClientState((s) => selectGuildPermissions(s, guildId));
  const [applications, setApplications] = useState<Application[] | null>(null);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<{ botName: string; token: string } | null>(null);

  const load = useCallback(async () => {
    const result = await bridge.listApplications();
    if (result.ok) setApplications(result.value);
    else setError(describeError(result.error));
  }, [bridge]);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async () => {
    const result = await bridge.createApplication({ name: name.trim() });
    if (!result.ok) {
      setNameError(fieldErrors(result.error).name);
      if (!result.error.errors) setError(describeError(result.error));
      return;
    }
    const { token, ...application } = result.value;
    setApplications((list) => [...(list ?? []), application]);
    setRevealed({ botName: application.name, token });
    setName('');
    setNameError(undefined);
    setError(null);
  };
  const replace = (updated: Application) => setApplications((list) => list?.map((a) => (a.id === updated.id ? updated : a)) ?? null);
  const remove = (id: Snowflake) => setApplications((list) => list?.filter((a) => a.id !== id) ?? null);

  return (
    <section aria-labelledby="bots-title">
      <h3 id="bots-title" className="settings-title">Bots</h3>
      <p className="hint">
        Bots are programs that chat like members. Any bot written with discord.js runs here: point its <code>rest.api</code> option at
        this server’s <code>/api</code> and give it the token shown when you create the bot.
      </p>
      {error && <div className="error-banner" role="alert">{error}</div>}
      {revealed && <BotTokenNotice botName={revealed.botName} token={revealed.token} onDismiss={() => setRevealed(null)} />}
      <form className="field-row" aria-label="New bot" onSubmit={(event) => { event.preventDefault(); void create(); }}>
        <TextField label="New bot name" value={name} minLength={2} maxLength={32} required error={nameError} onChange={(event) => setName(event.target.value)} />
        <button type="submit" className="btn bot-create">Create bot</button>
      </form>
      {applications === null ? (
        <p className="hint" aria-busy="true">Loading your bots…</p>
      ) : applications.length === 0 ? (
        <p className="hint">You have no bots yet.</p>
      ) : (
        <ul className="bot-list">
          {applications.map((application) => (
            <BotCard key={application.id} application={application} guildId={guildId} granted={granted}
              onChange={replace} onDelete={remove} onToken={(botName, token) => setRevealed({ botName, token })} />
          ))}
        </ul>
      )}
    </section>
  );
}
