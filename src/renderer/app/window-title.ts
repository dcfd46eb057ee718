import { useEffect } from 'react';
import type { Snowflake } from '../../shared/snowflake.js';
import { selectTotalMentionCount } from '../../client/state/selectors.js';
import { useClientState, useServices } from './hooks.js';

/** "(3) #general | My Server - Hearth": the open channel, with unread mentions counted first. */
export function useWindowTitle(guildId: Snowflake | null, channelId: Snowflake | null): void {
  const { store } = useServices();
  const readStates = useClientState((s) => s.readStates);
  const channelName = useClientState((s) => (channelId ? s.channels[channelId]?.name : undefined));
  const guildName = useClientState((s) => (guildId ? s.guilds[guildId]?.name : undefined));
  useEffect(() => {
    const mentions = selectTotalMentionCount(store.getState());
    const place = channelName ? `#${channelName}${guildName ? ` | ${guildName}` : ''} - ` : '';
    document.title = `${mentions > 0 ? `(${mentions}) ` : ''}${place}Hearth`;
  }, [store, readStates, channelName, guildName]);
}
