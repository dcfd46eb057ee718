import { useServices } from './hooks.js';

export interface Props {
  hasGuilds: boolean;
}

/** Shown when no channel is open: a first-run welcome, or a server without text channels. */
export function NoGuildView({ hasGuilds }: Props) {
  const { ui } = useServices();
  return (
    <main className="no-guild">
      <h1>{hasGuilds ? 'No text channels' : 'Welcome to Hearth'}</h1>
      <p className="hint">
        {hasGuilds
          ? 'This server has no text channels you can see yet.'
          : 'Create a server for your community, or join one with an invite.'}
      </p>
      {!hasGuilds && (
        <div className="no-guild-actions">
          <button type="button" className="btn" onClick={() => ui.openModal({ type: 'create-guild' })}>Create a Server</button>
          <button type="button" className="btn btn-secondary" onClick={() => ui.openModal({ type: 'join-guild' })}>Join a Server</button>
        </div>
      )}
    </main>
  );
}
