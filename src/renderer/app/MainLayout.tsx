import { useEffect } from 'react';
import { useClientState, useNarrowLayout, useServices, useUi } from './hooks.js';
import { textChannelsInOrder } from './selectors.js';
import { selectRememberedChannelId } from './ui-store.js';
import { useKeyboardShortcuts } from './keyboard.js';
import { useWebAutoIdle } from './auto-idle.js';
import { useWindowTitle } from './window-title.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { UpdateBanner } from '../features/desktop/UpdateBanner.js';
import { ModalHost } from './ModalHost.js';
import { GuildRail } from '../features/guilds/GuildRail.js';
import { ChannelSidebar } from '../features/guilds/ChannelSidebar.js';
import { ChatPane } from '../features/chat/ChatPane.js';
import { MemberList } from '../features/presence/MemberList.js';
import { ProfilePopout } from '../features/presence/ProfilePopout.js';
import { NoGuildView } from './NoGuildView.js';
import { MarkdownProvider } from './MarkdownProvider.js';
import { UserPanel } from '../features/presence/UserPanel.js';
import { VoicePanelSlot } from '../features/voice/VoicePanelSlot.js';

/** Guild rail | channel sidebar | messages | member list, with the banner, dialogs and pop-outs. */
export function MainLayout() {
  const { ui, store, bridge } = useServices();
  const guildOrder = useClientState((s) => s.guildOrder);
  const channels = useClientState((s) => s.channels);
  const selectedGuildId = useUi((s) => s.selectedGuildId);
  const rememberedChannelId = useUi(selectRememberedChannelId);
  const narrow = useNarrowLayout();
  const showMembers = useUi((s) => (narrow ? s.membersDrawer : s.showMembers));
  const guildId = selectedGuildId && guildOrder.includes(selectedGuildId) ? selectedGuildId : null;
  const channel = rememberedChannelId ? channels[rememberedChannelId] : undefined;
  const channelId = channel && channel.guild_id === guildId && channel.type === 0 ? channel.id : null;
  const profile = useUi((s) => s.profile);
  const compact = useClientState((s) => s.settings.compactMode);
  useKeyboardShortcuts();
  useWebAutoIdle(bridge, store, !window.hearth);
  useWindowTitle(guildId, channelId);


  // Keep the selection valid: a guild that went away, or a guild without a chosen channel.
  useEffect(() => {
    const state = store.getState();
    if (!state) return;
    if (selectedGuildId && !guildOrder.includes(selectedGuildId) && guildOrder.length > 0 && state.connection.status === 'ready') {
      ui.selectGuild(null);
    } else if (!guildId && !selectedGuildId && guildOrder[0]) {
      const first = guildOrder[0];
      const channelIdToOpen = textChannelsInOrder(state, first)[0]?.id;
      if (channelIdToOpen) ui.selectChannel(first, channelIdToOpen);
      else ui.selectGuild(first);
    } else if (guildId && !channelId) {
      const fallback = textChannelsInOrder(state, guildId)[0]?.id;
      if (fallback) ui.selectChannel(guildId, fallback);
    }
  }, [store, ui, guildOrder, selectedGuildId, guildId, channelId, channels]);

  return (
    <MarkdownProvider guildId={guildId}>
      <div className={compact ? 'app-shell compact' : 'app-shell'}>
        <ConnectionBanner />
        <UpdateBanner />
        <div className={`layout${showMembers && channelId ? (narrow ? ' members-drawer' : ' with-members') : ''}`}>
          <GuildRail />
          {guildId ? <ChannelSidebar guildId={guildId} selectedChannelId={channelId} /> : <EmptySidebar />}
          {guildId && channelId ? <ChatPane key={channelId} channelId={channelId} /> : <NoGuildView hasGuilds={guildOrder.length > 0} />}
          {guildId && channelId && showMembers && <MemberList guildId={guildId} channelId={channelId} />}
        </div>
        <ModalHost />
        {profile && <ProfilePopout target={profile} />}
      </div>
    </MarkdownProvider>
  );
}

/** The sidebar before any server is open: still my status, settings and sign-out at the bottom. */
function EmptySidebar() {
  return (
    <aside className="channel-sidebar empty" aria-label="Account">
      <div className="channel-scroller" />
      <VoicePanelSlot />
      <UserPanel />
    </aside>
  );
}
