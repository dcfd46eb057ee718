import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Snowflake } from '../../../shared/snowflake.js';
import { Permission } from '../../../shared/permissions.js';
import { canInChannel, selectFirstUnreadMessageId, selectIsUnread } from '../../../client/state/selectors.js';
import { useClientState, useServices, useUi } from '../../app/hooks.js';
import { Icon } from '../../components/Icon.js';
import { ChannelHeader } from './ChannelHeader.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';
import { TypingIndicator } from './TypingIndicator.js';
import type { ChannelAbilities } from './MessageItem.js';

export interface Props {
  channelId: Snowflake;
}

/**
 * The message pane of a text channel: header, the virtualized history, typing indicator and
 * composer. Loads the newest page on open, marks the channel read while its bottom is in view,
 * and accepts dropped files.
 */
export function ChatPane({ channelId }: Props) {
  const { bridge, ui, store } = useServices();
  const channel = useClientState((s) => s.channels[channelId]);
  const history = useClientState((s) => s.messages[channelId]);
  const unread = useClientState((s) => selectIsUnread(s, channelId));
  const roles = useClientState((s) => (channel ? s.roles[channel.guild_id] : undefined));
  const me = useClientState((s) => (channel && s.user ? s.members[channel.guild_id]?.[s.user.id] : undefined));
  const jump = useUi((s) => (s.jump?.channelId === channelId ? s.jump : null));
  const [atBottom, setAtBottom] = useState(true);
  const [dragging, setDragging] = useState(false);
  const [dropped, setDropped] = useState<{ files: File[]; token: number } | null>(null);

  // Permissions derive from the overwrites, not the whole channel, which changes with every
  // message (last_message_id): new abilities would re-render every visible message.
  const overwrites = channel?.permission_overwrites;
  const ownerId = useClientState((s) => (channel ? s.guilds[channel.guild_id]?.owner_id : undefined));
  const abilities: ChannelAbilities = useMemo(() => {
    const state = store.getState();
    if (!state) return { canSend: false, canReact: false, canManageMessages: false };
    return {
      canSend: canInChannel(state, channelId, Permission.SEND_MESSAGES),
      canReact: canInChannel(state, channelId, Permission.ADD_REACTIONS),
      canManageMessages: canInChannel(state, channelId, Permission.MANAGE_MESSAGES),
    };
  }, [store, channelId, overwrites, ownerId, roles, me]); // eslint-disable-line react-hooks/exhaustive-deps -- state slices permissions derive from
  const canAttach = useMemo(() => {
    const state = store.getState();
    return state ? canInChannel(state, channelId, Permission.ATTACH_FILES) : false;
  }, [store, channelId, overwrites, ownerId, roles, me]); // eslint-disable-line react-hooks/exhaustive-deps -- as above

  // The newest page, once per channel visit when nothing is loaded yet.
  useEffect(() => {
    const window = store.getState()?.messages[channelId];
    if (!window || (window.messages.length === 0 && !window.loadingBefore)) void bridge.loadLatestMessages(channelId);
  }, [bridge, store, channelId]);

  // The "new messages" divider stays where it was when the channel opened.
  const firstUnread = useRef<{ channelId: Snowflake; id: Snowflake | undefined } | null>(null);
  if (firstUnread.current?.channelId !== channelId && history && history.messages.length > 0) {
    const state = store.getState();
    firstUnread.current = { channelId, id: state ? selectFirstUnreadMessageId(state, channelId) : undefined };
  }

  // Read while the bottom is in view and the window has focus (Discord's rule).
  useEffect(() => {
    if (!unread || !atBottom || history?.hasMoreAfter) return;
    const ack = () => {
      if (document.hasFocus()) void bridge.ackChannel(channelId);
    };
    ack();
    window.addEventListener('focus', ack);
    return () => window.removeEventListener('focus', ack);
  }, [bridge, channelId, unread, atBottom, history?.hasMoreAfter]);

  const onJump = useCallback(
    (messageId: Snowflake) => {
      const loaded = store.getState()?.messages[channelId]?.messages.some((m) => m.id === messageId);
      if (loaded) ui.jumpTo(channelId, messageId);
      else void bridge.loadMessagesAround(channelId, messageId).then((result) => result.ok && ui.jumpTo(channelId, messageId));
    },
    [bridge, store, ui, channelId],
  );

  if (!channel) return null;
  return (
    <main
      className="chat-pane"
      aria-label={`#${channel.name}`}
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes('Files')) {
          event.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        setDropped({ files: [...event.dataTransfer.files], token: Date.now() });
      }}
    >
      <ChannelHeader channel={channel} />
      {history ? (
        <MessageList
          key={channelId}
          channelName={channel.name}
          guildId={channel.guild_id}
          window={history}
          firstUnreadId={firstUnread.current?.channelId === channelId ? firstUnread.current.id : undefined}
          abilities={abilities}
          jump={jump}
          onLoadOlder={() => void bridge.loadOlderMessages(channelId)}
          onLoadNewer={() => void bridge.loadNewerMessages(channelId)}
          onJumpToPresent={async () => {
            if (store.getState()?.messages[channelId]?.hasMoreAfter) await bridge.loadLatestMessages(channelId);
          }}
          onAtBottomChange={setAtBottom}
          onJump={onJump}
        />
      ) : (
        <div className="message-list-wrap" aria-busy="true"><span className="visually-hidden">Loading messages…</span></div>
      )}
      <div className="composer-area">
        <Composer
          key={channelId}
          channelId={channelId}
          channelName={channel.name}
          guildId={channel.guild_id}
          canSend={abilities.canSend}
          canAttach={canAttach}
          droppedFiles={dropped}
        />
        <TypingIndicator channelId={channelId} />
      </div>
      {dragging && (
        <div className="drop-zone" aria-hidden="true">
          <Icon name="upload" size={48} />
          <p>Upload to <strong>#{channel.name}</strong></p>
          <p className="hint">Up to 25 MB per message</p>
        </div>
      )}
    </main>
  );
}
