/**
 * Desktop notifications for mentions and replies to the user, shown only while the Hearth window
 * is not focused and the user is not in do-not-disturb. Clicking one brings the window up on
 * that channel.
 */
import { Notification } from 'electron';
import type { Snowflake } from '../shared/snowflake.js';
import type { Message, User } from '../shared/protocol/entities.js';
import type { ClientState } from '../shared/ipc/state.js';
import { mentionsMe, selectDisplayName } from '../client/state/selectors.js';

/** What a notification says and where clicking it leads. */
export interface MentionNotice {
  title: string;
  body: string;
  guildId: Snowflake;
  channelId: Snowflake;
  silent: boolean;
}

/** Longest body shown; the OS truncates further on its own. */
const MAX_BODY = 200;

/**
 * The notice for a new message, or null when it must not notify: own messages, messages that
 * neither mention nor reply to the user, a focused window, do-not-disturb, or notifications off.
 */
export function noticeFor(state: ClientState, message: Message, windowFocused: boolean): MentionNotice | null {
  const me = state.user?.id;
  if (!me || message.author.id === me) return null;
  if (windowFocused || state.selfStatus === 'dnd' || !state.settings.notifications.mentions) return null;
  const repliesToMe = message.referenced_message?.author.id === me;
  if (!repliesToMe && !mentionsMe(state, message)) return null;
  const channel = state.channels[message.channel_id];
  const guildId = message.guild_id ?? channel?.guild_id;
  if (!guildId) return null;
  const author = message.member?.nick ?? nameOf(state, guildId, message.author);
  const guild = state.guilds[guildId];
  const where = [channel?.name ? `#${channel.name}` : null, guild?.name].filter(Boolean).join(', ');
  return {
    title: where ? `${author} (${where})` : author,
    body: noticeBody(state, guildId, message),
    guildId,
    channelId: message.channel_id,
    silent: !state.settings.notifications.sounds,
  };
}

/** The message text with mention markup replaced by names, shortened; attachments described. */
function noticeBody(state: ClientState, guildId: Snowflake, message: Message): string {
  const text = message.content
    .replace(/<@!?(\d{1,20})>/g, (_m, id: string) => `@${nameOf(state, guildId, message.mentions.find((u) => u.id === id) ?? { id })}`)
    .replace(/<@&(\d{1,20})>/g, (_m, id: string) => `@${state.roles[guildId]?.[id]?.name ?? 'role'}`)
    .replace(/<#(\d{1,20})>/g, (_m, id: string) => `#${state.channels[id]?.name ?? 'channel'}`)
    .trim();
  if (text) return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY - 1)}…` : text;
  const files = message.attachments.length;
  return files === 1 ? 'Sent an attachment' : files > 1 ? `Sent ${files} attachments` : 'Sent a message';
}

/** A user's name in the guild: from the state when known, else from the user object the message carries. */
function nameOf(state: ClientState, guildId: Snowflake, user: Pick<User, 'id'> & Partial<User>): string {
  if (state.users[user.id] || state.members[guildId]?.[user.id]) return selectDisplayName(state, guildId, user.id);
  return user.global_name ?? user.username ?? 'Unknown user';
}

/** Shows notices as OS notifications; `onClick` opens the channel. */
export class MentionNotifier {
  /** Shown notifications, kept referenced so their click handlers survive garbage collection. */
  private readonly live = new Set<Notification>();

  constructor(
    private readonly onClick: (notice: MentionNotice) => void,
    /** The app icon, shown by Linux notification daemons (Windows and macOS use the app's own). */
    private readonly icon?: string,
  ) {}

  show(notice: MentionNotice): void {
    if (!Notification.isSupported()) return;
    const notification = new Notification({
      title: notice.title,
      body: notice.body,
      silent: notice.silent,
      ...(this.icon ? { icon: this.icon } : {}),
    });
    this.live.add(notification);
    notification.on('click', () => {
      this.live.delete(notification);
      this.onClick(notice);
    });
    notification.on('close', () => this.live.delete(notification));
    notification.show();
  }
}
