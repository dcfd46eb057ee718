import type { Snowflake } from '../../../shared/snowflake.js';
import { useClientState, useServices } from '../../app/hooks.js';
import { unwrap } from '../../app/errors.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';

export interface Props {
  guildId: Snowflake;
}

/** Confirms leaving a guild; afterwards the next guild (or none) is shown. */
export function LeaveGuildDialog({ guildId }: Props) {
  const { bridge, ui } = useServices();
  const guild = useClientState((s) => s.guilds[guildId]);
  return (
    <ConfirmDialog
      title={`Leave '${guild?.name ?? 'server'}'`}
      confirmLabel="Leave Server"
      danger
      onClose={() => ui.closeModal()}
      onConfirm={async () => {
        await unwrap(bridge.leaveGuild(guildId));
        if (ui.getState().selectedGuildId === guildId) ui.selectGuild(null);
      }}
    >
      <p>Are you sure you want to leave <strong>{guild?.name}</strong>? You won’t be able to rejoin this server unless you are re-invited.</p>
    </ConfirmDialog>
  );
}
