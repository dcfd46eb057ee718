import { useMemo } from 'react';
import type { Snowflake } from '../../../shared/snowflake.js';
import { useClientState, useServices } from '../../app/hooks.js';
import { textChannelsInOrder } from '../../app/selectors.js';
import { selectChannelList } from '../../../client/state/selectors.js';
import { guildIconUrl } from '../../app/format.js';
import { GuildIcon } from '../../components/GuildIcon.js';
import { Tooltip } from '../../components/Tooltip.js';

export interface Props {
  guildId: Snowflake;
  selected: boolean;
  onOpenMenu(x: number, y: number): void;
}

/** One guild in the rail: icon, selection pill, unread dot, mention badge, tooltip, context menu. */
export function GuildRailItem({ guildId, selected, onOpenMenu }: Props) {
  const { ui, store } = useServices();
  const guild = useClientState((s) => s.guilds[guildId]);
  const serverUrl = useClientState((s) => s.serverUrl);
  const readStates = useClientState((s) => s.readStates);
  const channels = useClientState((s) => s.channels);
  // Recomputed only when read states or channels change (the inputs of the badge).
  const badge = useMemo(() => {
    const state = store.getState();
    const items = state ? selectChannelList(state, guildId).flatMap((section) => section.channels) : [];
    return { unread: items.some((item) => item.unread), mentions: items.reduce((sum, item) => sum + item.mentionCount, 0) };
  }, [store, guildId, readStates, channels]); // eslint-disable-line react-hooks/exhaustive-deps -- state slices that the badge derives from
  if (!guild) return null;

  const open = () => {
    const state = store.getState();
    const remembered = ui.getState().channelByGuild[guildId];
    const channelId = remembered && state?.channels[remembered] ? remembered : state ? textChannelsInOrder(state, guildId)[0]?.id : undefined;
    if (channelId) ui.selectChannel(guildId, channelId);
    else ui.selectGuild(guildId);
  };
  const label = [guild.name, badge.mentions > 0 ? `${badge.mentions} mention${badge.mentions === 1 ? '' : 's'}` : null, badge.unread ? 'unread' : null]
    .filter(Boolean)
    .join(', ');

  return (
    <li className={`guild-item${selected ? ' selected' : ''}${badge.unread ? ' unread' : ''}`}>
      <span className="guild-pill" aria-hidden="true" />
      <Tooltip label={guild.name} side="right">
        <button
          type="button"
          className="guild-button"
          aria-label={label}
          aria-current={selected ? 'page' : undefined}
          onClick={open}
          onContextMenu={(event) => {
            event.preventDefault();
            onOpenMenu(event.clientX, event.clientY);
          }}
          onKeyDown={(event) => {
            if (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) {
              event.preventDefault();
              const box = event.currentTarget.getBoundingClientRect();
              onOpenMenu(box.right, box.top);
            }
          }}
        >
          <GuildIcon name={guild.name} src={guildIconUrl(serverUrl, guild)} />
        </button>
      </Tooltip>
      {badge.mentions > 0 && <span className="mention-badge guild-badge" aria-hidden="true">{badge.mentions > 99 ? '99+' : badge.mentions}</span>}
    </li>
  );
}
