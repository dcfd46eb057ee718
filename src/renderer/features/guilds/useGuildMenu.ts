import { useMemo } from 'react';
import type { Snowflake } from '../../../shared/snowflake.js';
import { Permission } from '../../../shared/permissions.js';
import { useClientState, useServices } from '../../app/hooks.js';
import { can, textChannelsInOrder } from '../../app/selectors.js';
import type { MenuItem } from '../../components/ContextMenu.js';

/** The guild menu (rail context menu and guild header): invite, settings, create channel, leave. */
export function useGuildMenu(guildId: Snowflake | null): MenuItem[] {
  const { ui } = useServices();
  const state = useClientState((s) => s);
  return useMemo(() => {
    if (!guildId || !state.guilds[guildId]) return [];
    const guild = state.guilds[guildId];
    const channelId = ui.getState().channelByGuild[guildId] ?? textChannelsInOrder(state, guildId)[0]?.id;
    const items: MenuItem[] = [];
    if (channelId && can(state, guildId, Permission.CREATE_INSTANT_INVITE, state.channels[channelId])) {
      items.push({ label: 'Invite People', onSelect: () => ui.openModal({ type: 'invite', guildId, channelId }) });
    }
    const manage = Permission.MANAGE_GUILD | Permission.MANAGE_CHANNELS | Permission.MANAGE_ROLES | Permission.KICK_MEMBERS;
    if ((canAny(state, guildId, manage))) {
      items.push({ label: 'Server Settings', onSelect: () => ui.openModal({ type: 'guild-settings', guildId }) });
    }
    if (can(state, guildId, Permission.MANAGE_CHANNELS)) {
      items.push({ label: 'Create Channel', onSelect: () => ui.openModal({ type: 'create-channel', guildId, parentId: null, channelType: 0 }) });
      items.push({ label: 'Create Category', onSelect: () => ui.openModal({ type: 'create-channel', guildId, parentId: null, channelType: 4 }) });
    }
    if (guild.owner_id !== state.user?.id) {
      items.push({ label: 'Leave Server', danger: true, onSelect: () => ui.openModal({ type: 'leave-guild', guildId }) });
    }
    return items;
  }, [guildId, state, ui]);
}

function canAny(state: Parameters<typeof can>[0], guildId: Snowflake, permissions: bigint): boolean {
  for (let bit = 1n; bit <= permissions; bit <<= 1n) {
    if ((permissions & bit) !== 0n && can(state, guildId, bit)) return true;
  }
  return false;
}
