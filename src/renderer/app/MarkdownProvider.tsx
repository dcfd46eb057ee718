import { useMemo, type ReactNode } from 'react';
import type { Snowflake } from '../../shared/snowflake.js';
import { selectDisplayName } from '../../client/state/selectors.js';
import { MarkdownContext, type MarkdownResolvers } from '../features/chat/markdown/MarkdownContext.js';
import { useClientState, useServices } from './hooks.js';

export interface Props {
  guildId: Snowflake | null;
  children: ReactNode;
}

/** Gives the markdown renderer names for mentions and the bridge for links, for the open guild. */
export function MarkdownProvider({ guildId, children }: Props) {
  const { bridge, store, ui } = useServices();
  const meId = useClientState((s) => s.user?.id ?? null);
  const resolvers = useMemo<MarkdownResolvers>(() => ({
    meId,
    userName: (id) => {
      const state = store.getState();
      return state?.users[id] ? selectDisplayName(state, guildId, id) : null;
    },
    channelName: (id) => store.getState()?.channels[id]?.name ?? null,
    role: (id) => {
      const role = guildId ? store.getState()?.roles[guildId]?.[id] : undefined;
      return role ? { name: role.name, color: role.color } : null;
    },
    openExternal: (url) => void bridge.openExternal(url),
    openChannel: (id) => {
      const channel = store.getState()?.channels[id];
      if (channel) ui.selectChannel(channel.guild_id, channel.id);
    },
    openUser: (id, anchor) => {
      const box = anchor.getBoundingClientRect();
      ui.update({ profile: { userId: id, guildId, x: box.right + 8, y: box.top } });
    },
  }), [bridge, store, ui, guildId, meId]);
  return <MarkdownContext.Provider value={resolvers}>{children}</MarkdownContext.Provider>;
}
