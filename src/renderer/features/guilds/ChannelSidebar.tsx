import { useMemo, useState } from 'react';
import type { Snowflake } from '../../../shared/snowflake.js';
import { Permission } from '../../../shared/permissions.js';
import { useClientState, useServices, useUi } from '../../app/hooks.js';
import { can } from '../../app/selectors.js';
import { selectChannelList } from '../../../client/state/selectors.js';
import { Icon } from '../../components/Icon.js';
import { UserPanel } from '../presence/UserPanel.js';
import { VoicePanelSlot } from '../voice/VoicePanelSlot.js';
import { ChannelItem } from './ChannelItem.js';
import { GuildContextMenu } from './GuildContextMenu.js';

export interface Props {
  guildId: Snowflake;
  selectedChannelId: Snowflake | null;
}

/** The second column: guild header, categories with their channels, voice panel, user panel. */
export function ChannelSidebar({ guildId, selectedChannelId }: Props) {
  const { ui, store } = useServices();
  const guild = useClientState((s) => s.guilds[guildId]);
  const channels = useClientState((s) => s.channels);
  const roles = useClientState((s) => s.roles[guildId]);
  const members = useClientState((s) => s.members[guildId]);
  const readStates = useClientState((s) => s.readStates);
  const voiceStates = useClientState((s) => s.voiceStates[guildId]);
  const collapsed = useUi((s) => s.collapsedCategories);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const { groups, canManage } = useMemo(() => {
    const state = store.getState();
    if (!state) return { groups: [], canManage: false };
    return { groups: selectChannelList(state, guildId), canManage: can(state, guildId, Permission.MANAGE_CHANNELS) };
  }, [store, guildId, channels, roles, members, readStates, voiceStates]); // eslint-disable-line react-hooks/exhaustive-deps -- state slices the list derives from
  if (!guild) return null;

  return (
    <aside className="channel-sidebar" aria-label={`${guild.name} channels`}>
      <header className="sidebar-header">
        <button
          type="button"
          className="guild-header-button"
          aria-haspopup="menu"
          aria-expanded={menu !== null}
          onClick={(event) => {
            const box = event.currentTarget.getBoundingClientRect();
            setMenu({ x: box.left + 8, y: box.bottom + 4 });
          }}
        >
          <span className="guild-header-name">{guild.name}</span>
          <Icon name="chevron" size={18} />
        </button>
      </header>
      {menu && <GuildContextMenu guildId={guildId} x={menu.x} y={menu.y} onClose={() => setMenu(null)} />}
      <nav className="channel-scroller" aria-label="Channels">
        {groups.map((group) => {
          const categoryId = group.category?.id ?? null;
          const isCollapsed = categoryId !== null && collapsed[categoryId] === true;
          const shown = isCollapsed ? group.channels.filter((item) => item.channel.id === selectedChannelId || item.unread) : group.channels;
          return (
            <div key={categoryId ?? 'none'} className="channel-group" role="group" aria-label={group.category?.name ?? 'Channels'}>
              {group.category && (
                <div className="category-header">
                  <button
                    type="button"
                    className="category-toggle"
                    aria-expanded={!isCollapsed}
                    onClick={() => ui.toggleCategory(group.category!.id)}
                  >
                    <Icon name="chevron" size={12} className={isCollapsed ? 'collapsed' : undefined} />
                    <span>{group.category.name}</span>
                  </button>
                  {canManage && (
                    <button
                      type="button"
                      className="icon-btn category-add"
                      aria-label={`Create Channel in ${group.category.name}`}
                      onClick={() => ui.openModal({ type: 'create-channel', guildId, parentId: group.category!.id, channelType: 0 })}
                    >
                      <Icon name="plus" size={16} />
                    </button>
                  )}
                </div>
              )}
              <ul className="channel-list">
                {shown.map((item) => (
                  <ChannelItem key={item.channel.id} item={item} selected={item.channel.id === selectedChannelId} />
                ))}
              </ul>
            </div>
          );
        })}
      </nav>
      <VoicePanelSlot />
      <UserPanel />
    </aside>
  );
}
