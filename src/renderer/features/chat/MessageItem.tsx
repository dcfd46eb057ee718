import { memo, useState } from 'react';
import type { ClientMessage } from '../../../shared/ipc/state.js';
import type { Snowflake } from '../../../shared/snowflake.js';
import { mentionsMe, selectDisplayName, selectMemberColor } from '../../../client/state/selectors.js';
import { useClientState, useServices, useUi } from '../../app/hooks.js';
import { avatarUrl, displayName, fullTime, messageTime, roleColor, shortTime } from '../../app/format.js';
import { describeError } from '../../app/errors.js';
import { Avatar } from '../../components/Avatar.js';
import { Markdown } from './markdown/Markdown.js';
import { AttachmentList } from './AttachmentList.js';
import { EmojiPicker } from './EmojiPicker.js';
import { MessageActions } from './MessageActions.js';
import { MessageEditor } from './MessageEditor.js';
import { Reactions } from './Reactions.js';
import { ReplyPreview } from './ReplyPreview.js';
import { DeliveryStatus } from './DeliveryStatus.js';

/** What the current user may do in this channel (computed once per channel by the list). */
export interface ChannelAbilities {
  canSend: boolean;
  canReact: boolean;
  canManageMessages: boolean;
}

export interface Props {
  message: ClientMessage;
  grouped: boolean;
  guildId: Snowflake;
  abilities: ChannelAbilities;
  /** Jumps to a message (reply quotes). */
  onJump(messageId: Snowflake): void;
}

/** One message: header or grouped line, reply quote, content, attachments, reactions, actions. */
export const MessageItem = memo(function MessageItem({ message, grouped, guildId, abilities, onJump }: Props) {
  const { bridge, ui, store } = useServices();
  const channelId = message.channel_id;
  const meId = useClientState((s) => s.user?.id ?? null);
  const author = useClientState((s) => s.users[message.author.id]) ?? message.author;
  const member = useClientState((s) => s.members[guildId]?.[message.author.id]);
  const roles = useClientState((s) => s.roles[guildId]);
  const serverUrl = useClientState((s) => s.serverUrl);
  // The quoted author may be unknown to the state (never loaded): the message carries the user.
  const referencedAuthor = useClientState((s) => {
    const quoted = message.referenced_message?.author;
    if (!quoted) return null;
    return s.users[quoted.id] || s.members[guildId]?.[quoted.id] ? selectDisplayName(s, guildId, quoted.id) : displayName(quoted);
  });
  const editing = useUi((s) => s.editing?.messageId === message.id);
  const flash = useUi((s) => (s.jump?.messageId === message.id ? s.jump.token : 0));
  const [picker, setPicker] = useState<DOMRect | null>(null);

  const state = store.getState();
  const name = state ? selectDisplayName(state, guildId, author.id) : author.username;
  const color = state && roles && member ? roleColor(selectMemberColor(state, guildId, author.id)) : undefined;
  const mine = author.id === meId;
  const sent = message.delivery === 'sent';
  const highlighted = sent && state !== null && mentionsMe(state, message);
  const toggleReaction = (emoji: string, me: boolean) =>
    void (me ? bridge.removeReaction(channelId, message.id, emoji) : bridge.addReaction(channelId, message.id, emoji));
  const openProfile = (element: HTMLElement) => {
    const box = element.getBoundingClientRect();
    ui.update({ profile: { userId: author.id, guildId, x: box.right + 8, y: box.top } });
  };
  const saveEdit = async (content: string): Promise<string | null> => {
    if (!content.trim()) {
      ui.update({ editing: null });
      ui.openModal({ type: 'delete-message', channelId, messageId: message.id });
      return null;
    }
    const result = await bridge.editMessage(channelId, message.id, content);
    if (!result.ok) return describeError(result.error);
    ui.update({ editing: null });
    return null;
  };

  const classes = ['message', grouped ? 'grouped' : 'group-start', highlighted ? 'mentioned' : '', message.delivery, flash ? 'flash' : '']
    .filter(Boolean).join(' ');
  return (
    <article
      className={classes}
      key={flash}
      data-message-id={message.id}
      aria-label={`${name}, ${messageTime(message.timestamp)}`}
      tabIndex={-1}
    >
      {message.referenced_message !== undefined || message.message_reference?.message_id ? (
        <ReplyPreview
          referenced={message.referenced_message}
          authorName={referencedAuthor}
          onJump={() => message.message_reference?.message_id && onJump(message.message_reference.message_id)}
        />
      ) : null}
      <div className="message-body-row">
        {grouped ? (
          <time className="message-gutter-time" dateTime={message.timestamp} title={fullTime(message.timestamp)}>{shortTime(message.timestamp)}</time>
        ) : (
          <button type="button" className="message-avatar" aria-label={`${name}, view profile`} onClick={(event) => openProfile(event.currentTarget)}>
            <Avatar src={avatarUrl(serverUrl, author)} name={name} id={author.id} size={40} />
          </button>
        )}
        <div className="message-main">
          {!grouped && (
            <h3 className="message-header">
              <button type="button" className="message-author" style={color ? { color } : undefined} onClick={(event) => openProfile(event.currentTarget)}>
                {name}
              </button>
              {author.bot && <span className="bot-tag">BOT</span>}
              <time className="message-time" dateTime={message.timestamp} title={fullTime(message.timestamp)}>{messageTime(message.timestamp)}</time>
            </h3>
          )}
          {editing ? (
            <MessageEditor initial={message.content} onSave={saveEdit} onCancel={() => ui.update({ editing: null })} />
          ) : (
            message.content && (
              <div className="message-content">
                <Markdown content={message.content} />
                {message.edited_timestamp && (
                  <span className="edited" title={fullTime(message.edited_timestamp)}> (edited)</span>
                )}
              </div>
            )
          )}
          {message.attachments.length > 0 && <AttachmentList attachments={message.attachments} />}
          {!sent && <DeliveryStatus message={message} />}
          {message.reactions && message.reactions.length > 0 && (
            <Reactions reactions={message.reactions} canAdd={abilities.canReact} onToggle={toggleReaction} onOpenPicker={(anchor) => setPicker(anchor.getBoundingClientRect())} />
          )}
        </div>
      </div>
      {sent && !editing && (
        <MessageActions
          canReact={abilities.canReact}
          canReply={abilities.canSend}
          canEdit={mine}
          canDelete={mine || abilities.canManageMessages}
          onReact={(anchor) => setPicker(anchor.getBoundingClientRect())}
          onReply={() => ui.setReplyTo(channelId, message.id)}
          onEdit={() => ui.update({ editing: { channelId, messageId: message.id } })}
          onDelete={(immediate) =>
            immediate ? void bridge.deleteMessage(channelId, message.id) : ui.openModal({ type: 'delete-message', channelId, messageId: message.id })}
        />
      )}
      {picker && (
        <EmojiPicker
          anchor={picker}
          onClose={() => setPicker(null)}
          onPick={(emoji) => {
            setPicker(null);
            const existing = message.reactions?.find((r) => r.emoji.name === emoji);
            toggleReaction(emoji, existing?.me ?? false);
          }}
        />
      )}
    </article>
  );
});
