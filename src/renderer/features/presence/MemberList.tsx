import { useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Snowflake } from '../../../shared/snowflake.js';
import { selectMemberList, type MemberListEntry } from '../../../client/state/selectors.js';
import { useClientState, useServices } from '../../app/hooks.js';
import { MemberListItem } from './MemberListItem.js';

export interface Props {
  guildId: Snowflake;
  channelId: Snowflake | null;
}

type Row = { kind: 'header'; key: string; label: string } | { kind: 'member'; key: string; entry: MemberListEntry };

/**
 * The right column: members who can see the channel, under their hoisted role, then Online, then
 * Offline, each with its count. Virtualized, so large guilds keep a small DOM.
 */
export function MemberList({ guildId, channelId }: Props) {
  const { store, bridge } = useServices();
  const members = useClientState((s) => s.members[guildId]);
  const complete = useClientState((s) => s.membersComplete[guildId] === true);
  const presences = useClientState((s) => s.presences);
  const roles = useClientState((s) => s.roles[guildId]);
  const users = useClientState((s) => s.users);
  // Only what the list derives from: the channel itself changes with every message (last_message_id).
  const overwrites = useClientState((s) => (channelId ? s.channels[channelId]?.permission_overwrites : undefined));
  const ownerId = useClientState((s) => s.guilds[guildId]?.owner_id);
  const selfStatus = useClientState((s) => s.selfStatus);
  const scroller = useRef<HTMLDivElement>(null);

  // READY may carry only part of a large guild's members: fetch the rest once per guild.
  const requested = useRef<Snowflake | null>(null);
  useEffect(() => {
    if (complete || requested.current === guildId) return;
    requested.current = guildId;
    void bridge.loadMembers(guildId);
  }, [bridge, guildId, complete]);

  const rows = useMemo(() => {
    const state = store.getState();
    if (!state) return [];
    return selectMemberList(state, guildId, channelId ?? undefined).flatMap((group): Row[] => [
      { kind: 'header', key: `h:${group.id}`, label: `${group.name} — ${group.members.length}` },
      ...group.members.map((entry): Row => ({ kind: 'member', key: `m:${entry.userId}`, entry })),
    ]);
  }, [store, guildId, channelId, members, presences, roles, users, overwrites, ownerId, selfStatus]); // eslint-disable-line react-hooks/exhaustive-deps -- state slices the list derives from

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (rows[index]?.kind === 'header' ? 40 : 44),
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 12,
    // The scroller is not in the DOM for the first render: assume the browser window's height
    // (a little more than the list's), so the first render already has the rows in view.
    initialRect: { width: 0, height: window.innerHeight },
    useFlushSync: false,
  });

  return (
    <aside className="member-list" aria-label="Members">
      <div ref={scroller} className="member-scroller">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div key={item.key} className="member-row" style={{ transform: `translateY(${item.start}px)`, height: item.size }}>
                {row.kind === 'header' ? (
                  <h2 className="member-group-header">{row.label}</h2>
                ) : (
                  <MemberListItem guildId={guildId} entry={row.entry} />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </aside>
  );
}
