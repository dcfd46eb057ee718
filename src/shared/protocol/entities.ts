/**
 * Resource shapes on the wire, as Discord API v10 defines them (fields Hearth does not have are
 * left out, never faked). IDs are snowflake strings; timestamps ISO 8601 strings.
 */
import type { Snowflake } from '../snowflake.js';

export interface User {
  id: Snowflake;
  username: string;
  /** Always "0": Hearth has unique usernames, as Discord does since 2023. */
  discriminator: string;
  global_name: string | null;
  /** Avatar hash; the image is served at `/avatars/{user_id}/{hash}.png`. */
  avatar: string | null;
  bot?: boolean;
  system?: boolean;
  flags?: number;
  public_flags?: number;
}

/** `GET /users/@me`: the user plus what only its owner sees. */
export interface CurrentUser extends User {
  mfa_enabled: boolean;
  verified: boolean;
  locale: string;
}

export interface Role {
  id: Snowflake;
  name: string;
  color: number;
  hoist: boolean;
  icon: string | null;
  unicode_emoji: string | null;
  position: number;
  /** Permission bitfield as a decimal string. */
  permissions: string;
  /** True for a bot's own role, created when the bot joins and removed when it leaves. */
  managed: boolean;
  mentionable: boolean;
  flags: number;
  /** A managed role's owner: `bot_id` for a bot's role (Discord's role tags). */
  tags?: RoleTags;
}

export interface RoleTags {
  bot_id?: Snowflake;
}

export interface GuildMember {
  user: User;
  nick: string | null;
  avatar: string | null;
  roles: Snowflake[];
  joined_at: string;
  premium_since: string | null;
  deaf: boolean;
  mute: boolean;
  flags: number;
  pending: boolean;
  communication_disabled_until: string | null;
}

export const ChannelType = {
  GUILD_TEXT: 0,
  GUILD_VOICE: 2,
  GUILD_CATEGORY: 4,
} as const;
export type ChannelType = (typeof ChannelType)[keyof typeof ChannelType];

export interface PermissionOverwrite {
  id: Snowflake;
  /** 0 role, 1 member. */
  type: 0 | 1;
  allow: string;
  deny: string;
}

export interface Channel {
  id: Snowflake;
  type: ChannelType;
  guild_id: Snowflake;
  name: string;
  position: number;
  parent_id: Snowflake | null;
  permission_overwrites: PermissionOverwrite[];
  /** Text channels. */
  topic?: string | null;
  nsfw?: boolean;
  last_message_id?: Snowflake | null;
  rate_limit_per_user?: number;
  /** Voice channels. */
  bitrate?: number;
  user_limit?: number;
  rtc_region?: string | null;
  flags: number;
}

export interface Guild {
  id: Snowflake;
  name: string;
  icon: string | null;
  owner_id: Snowflake;
  roles: Role[];
  emojis: Emoji[];
  features: string[];
  description: string | null;
  verification_level: number;
  default_message_notifications: number;
  explicit_content_filter: number;
  mfa_level: number;
  system_channel_id: Snowflake | null;
  afk_channel_id: Snowflake | null;
  afk_timeout: number;
  premium_tier: number;
  preferred_locale: string;
  nsfw_level: number;
  /** Only with `?with_counts=true` and in invites. */
  approximate_member_count?: number;
  approximate_presence_count?: number;
}

export interface Emoji {
  id: Snowflake | null;
  name: string | null;
  animated?: boolean;
}

export interface Attachment {
  id: Snowflake;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  /** Alt text given by the uploader. */
  description?: string;
  width?: number | null;
  height?: number | null;
}

export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Embed {
  title?: string;
  type?: string;
  description?: string;
  url?: string;
  timestamp?: string;
  color?: number;
  footer?: { text: string; icon_url?: string };
  image?: { url: string; width?: number; height?: number };
  thumbnail?: { url: string; width?: number; height?: number };
  author?: { name: string; url?: string; icon_url?: string };
  fields?: EmbedField[];
}

export interface Reaction {
  count: number;
  count_details: { burst: number; normal: number };
  me: boolean;
  me_burst: boolean;
  burst_colors: string[];
  emoji: Emoji;
}

export interface MessageReference {
  type?: number;
  message_id?: Snowflake;
  channel_id?: Snowflake;
  guild_id?: Snowflake;
  fail_if_not_exists?: boolean;
}

export const MessageType = {
  DEFAULT: 0,
  REPLY: 19,
} as const;

export interface Message {
  id: Snowflake;
  channel_id: Snowflake;
  guild_id?: Snowflake;
  author: User;
  /** Present on MESSAGE_CREATE/UPDATE dispatches in guilds (without `user`), as Discord does. */
  member?: Omit<GuildMember, 'user'>;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: User[];
  mention_roles: Snowflake[];
  attachments: Attachment[];
  embeds: Embed[];
  reactions?: Reaction[];
  nonce?: string | number;
  pinned: boolean;
  type: number;
  flags: number;
  message_reference?: MessageReference;
  referenced_message?: Message | null;
}

export interface Invite {
  code: string;
  type: 0;
  guild: Pick<Guild, 'id' | 'name' | 'icon' | 'description' | 'features'>;
  channel: Pick<Channel, 'id' | 'name' | 'type'>;
  inviter?: User;
  approximate_member_count?: number;
  approximate_presence_count?: number;
  expires_at: string | null;
  /** Invite metadata (guild invite lists and creation). */
  uses?: number;
  max_uses?: number;
  max_age?: number;
  temporary?: boolean;
  created_at?: string;
}

export type Status = 'online' | 'idle' | 'dnd' | 'invisible' | 'offline';

export interface Activity {
  name: string;
  type: number;
  url?: string | null;
  state?: string | null;
  created_at?: number;
}

export interface ClientStatus {
  desktop?: Exclude<Status, 'invisible' | 'offline'>;
  mobile?: Exclude<Status, 'invisible' | 'offline'>;
  web?: Exclude<Status, 'invisible' | 'offline'>;
}

export interface Presence {
  user: Pick<User, 'id'> & Partial<User>;
  guild_id?: Snowflake;
  /** What others see: never "invisible". */
  status: Exclude<Status, 'invisible'>;
  activities: Activity[];
  client_status: ClientStatus;
}

export interface VoiceState {
  guild_id?: Snowflake;
  channel_id: Snowflake | null;
  user_id: Snowflake;
  member?: GuildMember;
  session_id: string;
  deaf: boolean;
  mute: boolean;
  self_deaf: boolean;
  self_mute: boolean;
  self_video: boolean;
  suppress: boolean;
  request_to_speak_timestamp: string | null;
}

/** Per user and channel: last message read and mentions since (Hearth's read-state shape). */
export interface ReadState {
  id: Snowflake;
  last_message_id: Snowflake | null;
  mention_count: number;
}

/** `GET /api/v10/applications/...`: a bot application. */
export interface Application {
  id: Snowflake;
  name: string;
  description: string;
  icon: string | null;
  bot_public: boolean;
  bot_require_code_grant: boolean;
  flags: number;
  owner?: User;
  bot?: User;
  /** Guilds the bot is in. */
  approximate_guild_count?: number;
}
