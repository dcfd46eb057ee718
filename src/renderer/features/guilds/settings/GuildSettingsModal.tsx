import { useState } from 'react';
import type { Snowflake } from '../../../../shared/snowflake.js';
import { hasPermission, Permission } from '../../../../shared/permissions.js';
import { selectGuildPermissions } from '../../../../client/state/selectors.js';
import type { GuildSettingsTab } from '../../../app/ui-store.js';
import { useClientState, useServices } from '../../../app/hooks.js';
import { Modal } from '../../../components/Modal.js';
import { Tabs, type Tab } from '../../../components/Tabs.js';
import { OverviewTab } from './OverviewTab.js';
import { ChannelsTab } from './ChannelsTab.js';
import { RolesTab } from './RolesTab.js';
import { MembersTab } from './MembersTab.js';
import { InvitesTab } from './InvitesTab.js';
import { BotsTab } from './BotsTab.js';

export interface Props {
  guildId: Snowflake;
  initialTab?: GuildSettingsTab | undefined;
}

/** Server settings; each tab appears only with the permission it needs. */
export function GuildSettingsModal({ guildId, initialTab }: Props) {
  const { ui } = useServices();
  const guild = useClientState((s) => s.guilds[guildId]);
  // A bigint is a primitive, so this re-renders only when the permissions change.
  const granted = useClientState((s) => selectGuildPermissions(s, guildId));
  const allowed = {
    guild: hasPermission(granted, Permission.MANAGE_GUILD),
    channels: hasPermission(granted, Permission.MANAGE_CHANNELS),
    roles: hasPermission(granted, Permission.MANAGE_ROLES),
    members: hasPermission(granted, Permission.KICK_MEMBERS) || hasPermission(granted, Permission.MANAGE_ROLES),
  };
  const tabs: Tab<GuildSettingsTab>[] = [
    ...(allowed.guild ? [{ id: 'overview' as const, label: 'Overview' }] : []),
    ...(allowed.channels ? [{ id: 'channels' as const, label: 'Channels' }] : []),
    ...(allowed.roles ? [{ id: 'roles' as const, label: 'Roles' }] : []),
    ...(allowed.members ? [{ id: 'members' as const, label: 'Members' }] : []),
    ...(allowed.guild ? [{ id: 'invites' as const, label: 'Invites' }] : []),
    ...(allowed.guild ? [{ id: 'bots' as const, label: 'Bots' }] : []),
  ];
  const [tab, setTab] = useState<GuildSettingsTab>(initialTab ?? tabs[0]?.id ?? 'overview');
  if (!guild) return null;
  return (
    <Modal title={`${guild.name} — Server Settings`} wide onClose={() => ui.closeModal()}>
      {tabs.length === 0 ? (
        <p>You do not have permission to change this server’s settings.</p>
      ) : (
        <Tabs<GuildSettingsTab> label="Server settings" tabs={tabs} current={tab} onChange={setTab}>
          {tab === 'overview' && <OverviewTab guildId={guildId} />}
          {tab === 'channels' && <ChannelsTab guildId={guildId} />}
          {tab === 'roles' && <RolesTab guildId={guildId} />}
          {tab === 'members' && <MembersTab guildId={guildId} />}
          {tab === 'invites' && <InvitesTab guildId={guildId} />}
          {tab === 'bots' && <BotsTab guildId={guildId} />}
        </Tabs>
      )}
    </Modal>
  );
}
