/**
 * The gateway protocol in Discord v10 shapes: the `{op, d, s, t}` envelope, opcodes, intents,
 * the dispatch events Hearth sends, and zod schemas for what clients send (parsed once, at the edge).
 * Hearth extensions use opcodes and event names Discord does not (see docs/protocol.md).
 */
import { z } from 'zod';
import type { Snowflake } from '../snowflake.js';
import type {
  Activity, Channel, ClientStatus, CurrentUser, Guild, GuildMember, Invite, Message, Presence,
  ReadState, Role, Status, User, VoiceState, Emoji,
} from './entities.js';

export const GATEWAY_VERSION = 10;

export const GatewayOpcode = {
  DISPATCH: 0,
  HEARTBEAT: 1,
  IDENTIFY: 2,
  PRESENCE_UPDATE: 3,
  VOICE_STATE_UPDATE: 4,
  RESUME: 6,
  RECONNECT: 7,
  REQUEST_GUILD_MEMBERS: 8,
  INVALID_SESSION: 9,
  HELLO: 10,
  HEARTBEAT_ACK: 11,
  /** Hearth extension: WebRTC signaling relayed to one session in the same voice channel. */
  VOICE_SIGNAL: 40,
  /** Hearth extension: whether this client transmits voice now (Discord's voice-gateway SPEAKING). */
  VOICE_SPEAKING: 41,
} as const;
export type GatewayOpcode = (typeof GatewayOpcode)[keyof typeof GatewayOpcode];

/** Discord's gateway intents (bit positions as Discord's). */
export const GatewayIntent = {
  GUILDS: 1 << 0,
  GUILD_MEMBERS: 1 << 1,
  GUILD_MODERATION: 1 << 2,
  GUILD_EXPRESSIONS: 1 << 3,
  GUILD_INTEGRATIONS: 1 << 4,
  GUILD_WEBHOOKS: 1 << 5,
  GUILD_INVITES: 1 << 6,
  GUILD_VOICE_STATES: 1 << 7,
  GUILD_PRESENCES: 1 << 8,
  GUILD_MESSAGES: 1 << 9,
  GUILD_MESSAGE_REACTIONS: 1 << 10,
  GUILD_MESSAGE_TYPING: 1 << 11,
  DIRECT_MESSAGES: 1 << 12,
  DIRECT_MESSAGE_REACTIONS: 1 << 13,
  DIRECT_MESSAGE_TYPING: 1 << 14,
  MESSAGE_CONTENT: 1 << 15,
  GUILD_SCHEDULED_EVENTS: 1 << 16,
  AUTO_MODERATION_CONFIGURATION: 1 << 20,
  AUTO_MODERATION_EXECUTION: 1 << 21,
  GUILD_MESSAGE_POLLS: 1 << 24,
  DIRECT_MESSAGE_POLLS: 1 << 25,
} as const;

/** Every intent bit Discord defines; anything else in IDENTIFY is 4013. */
export const ALL_INTENTS = Object.values(GatewayIntent).reduce((all, bit) => all | bit, 0);

/** The envelope of every gateway message. */
export interface GatewayPayload<Op extends number = number, D = unknown> {
  op: Op;
  d: D;
  s: number | null;
  t: string | null;
}

export interface HelloData {
  heartbeat_interval: number;
}

/** A guild as it appears in READY (user accounts) and GUILD_CREATE: everything a client shows. */
export interface GatewayGuild extends Guild {
  joined_at: string;
  large: boolean;
  unavailable: false;
  member_count: number;
  channels: Channel[];
  members: GuildMember[];
  presences: Presence[];
  voice_states: VoiceState[];
  threads: never[];
  stickers: never[];
}

export interface UnavailableGuild {
  id: Snowflake;
  unavailable: true;
}

/** Hearth extension inside READY: voice configuration for the WebRTC mesh. */
export interface HearthReadyExtension {
  ice_servers: IceServer[];
  voice_mesh_limit: number;
}

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface ReadyData {
  v: number;
  user: CurrentUser;
  guilds: (GatewayGuild | UnavailableGuild)[];
  session_id: string;
  resume_gateway_url: string;
  session_type: 'normal';
  private_channels: never[];
  relationships: never[];
  application?: { id: Snowflake; flags: number };
  read_state: ReadState[];
  /** User accounts: the `id_hash` of this session's sign-in in `GET /auth/sessions` (Discord's field). */
  auth_session_id_hash?: string;
  shard?: [number, number];
  hearth: HearthReadyExtension;
}

export interface TypingStartData {
  channel_id: Snowflake;
  guild_id?: Snowflake;
  user_id: Snowflake;
  /** Unix time in seconds. */
  timestamp: number;
  member?: GuildMember;
}

export interface MessageDeleteData {
  id: Snowflake;
  channel_id: Snowflake;
  guild_id?: Snowflake;
}

export interface MessageDeleteBulkData {
  ids: Snowflake[];
  channel_id: Snowflake;
  guild_id?: Snowflake;
}

export interface MessageReactionAddData {
  user_id: Snowflake;
  channel_id: Snowflake;
  message_id: Snowflake;
  guild_id?: Snowflake;
  member?: GuildMember;
  emoji: Emoji;
  message_author_id?: Snowflake;
  burst: boolean;
  type: 0;
}

export interface MessageReactionRemoveData {
  user_id: Snowflake;
  channel_id: Snowflake;
  message_id: Snowflake;
  guild_id?: Snowflake;
  emoji: Emoji;
  burst: boolean;
  type: 0;
}

export interface MessageReactionRemoveAllData {
  channel_id: Snowflake;
  message_id: Snowflake;
  guild_id?: Snowflake;
}

/** All reactions of one emoji were removed from a message. */
export interface MessageReactionRemoveEmojiData {
  channel_id: Snowflake;
  message_id: Snowflake;
  guild_id?: Snowflake;
  emoji: Emoji;
}

export interface MessageAckData {
  channel_id: Snowflake;
  message_id: Snowflake;
  mention_count: number;
}

export interface GuildMemberRemoveData {
  guild_id: Snowflake;
  user: User;
}

export interface GuildRoleData {
  guild_id: Snowflake;
  role: Role;
}

export interface GuildRoleDeleteData {
  guild_id: Snowflake;
  role_id: Snowflake;
}

export interface InviteDeleteData {
  channel_id: Snowflake;
  guild_id?: Snowflake;
  code: string;
}

/** Reply to op 8 REQUEST_GUILD_MEMBERS, in chunks of up to 1000 members. */
export interface GuildMembersChunkData {
  guild_id: Snowflake;
  members: GuildMember[];
  chunk_index: number;
  chunk_count: number;
  /** Requested `user_ids` that are not members. */
  not_found?: Snowflake[];
  /** With `presences: true`: the members' presences (online ones only). */
  presences?: Presence[];
  nonce?: string;
}

/** Hearth extension: a WebRTC signal delivered to one session (`t: HEARTH_VOICE_SIGNAL`). */
export interface VoiceSignalData {
  /** The session that sent it. */
  from_session_id: string;
  from_user_id: Snowflake;
  channel_id: Snowflake;
  /** simple-peer's signal object (offer, answer or candidate), passed through unchanged. */
  signal: unknown;
}

/**
 * Hearth extension: why a voice request was refused (`t: HEARTH_VOICE_ERROR`), sent to the
 * requesting session only; the socket stays open. Codes and messages come from the catalogue.
 */
export interface VoiceErrorData {
  /** The refused opcode: 4 VOICE_STATE_UPDATE, 40 VOICE_SIGNAL or 41 VOICE_SPEAKING. */
  op: 4 | 40 | 41;
  guild_id: Snowflake | null;
  /** op 4: the channel asked for; op 40: the sender's voice channel, if any. */
  channel_id: Snowflake | null;
  /** op 40: the session the signal was addressed to. */
  session_id?: string;
  /** The JSON error code, e.g. 50104 channel full, 50105 mesh cap, 50013 missing permissions. */
  code: number;
  message: string;
  /** Signals rate-limited: seconds until the next one is accepted. */
  retry_after?: number;
}

/**
 * Hearth extension: a user in a voice channel started or stopped transmitting
 * (`t: HEARTH_VOICE_SPEAKING`), sent to the whole guild so the channel list shows who speaks.
 */
export interface VoiceSpeakingData {
  guild_id: Snowflake;
  channel_id: Snowflake;
  user_id: Snowflake;
  speaking: boolean;
}

/** Every dispatch event Hearth sends and its `d`. */
export interface DispatchEvents {
  READY: ReadyData;
  RESUMED: null;
  GUILD_CREATE: GatewayGuild;
  GUILD_UPDATE: Guild;
  GUILD_DELETE: { id: Snowflake; unavailable?: boolean };
  CHANNEL_CREATE: Channel;
  CHANNEL_UPDATE: Channel;
  CHANNEL_DELETE: Channel;
  GUILD_MEMBER_ADD: GuildMember & { guild_id: Snowflake };
  GUILD_MEMBER_UPDATE: GuildMember & { guild_id: Snowflake };
  GUILD_MEMBER_REMOVE: GuildMemberRemoveData;
  GUILD_ROLE_CREATE: GuildRoleData;
  GUILD_ROLE_UPDATE: GuildRoleData;
  GUILD_ROLE_DELETE: GuildRoleDeleteData;
  MESSAGE_CREATE: Message;
  MESSAGE_UPDATE: Message;
  MESSAGE_DELETE: MessageDeleteData;
  MESSAGE_DELETE_BULK: MessageDeleteBulkData;
  MESSAGE_REACTION_ADD: MessageReactionAddData;
  MESSAGE_REACTION_REMOVE: MessageReactionRemoveData;
  MESSAGE_REACTION_REMOVE_ALL: MessageReactionRemoveAllData;
  MESSAGE_REACTION_REMOVE_EMOJI: MessageReactionRemoveEmojiData;
  TYPING_START: TypingStartData;
  PRESENCE_UPDATE: Presence;
  INVITE_CREATE: Invite & { channel_id: Snowflake; guild_id: Snowflake };
  INVITE_DELETE: InviteDeleteData;
  MESSAGE_ACK: MessageAckData;
  USER_UPDATE: User;
  VOICE_STATE_UPDATE: VoiceState;
  GUILD_MEMBERS_CHUNK: GuildMembersChunkData;
  HEARTH_VOICE_SIGNAL: VoiceSignalData;
  HEARTH_VOICE_ERROR: VoiceErrorData;
  HEARTH_VOICE_SPEAKING: VoiceSpeakingData;
}
export type DispatchEventName = keyof DispatchEvents;

/** A DISPATCH payload, typed by event name. */
export type DispatchPayload<T extends DispatchEventName = DispatchEventName> = {
  [K in T]: { op: 0; t: K; s: number; d: DispatchEvents[K] };
}[T];

/** Server → client payloads other than dispatches. */
export type ServerControlPayload =
  | { op: 1; d: null; s: null; t: null }
  | { op: 7; d: null; s: null; t: null }
  | { op: 9; d: boolean; s: null; t: null }
  | { op: 10; d: HelloData; s: null; t: null }
  | { op: 11; d: null; s: null; t: null };

export type ServerPayload = DispatchPayload | ServerControlPayload;

// ---- Client → server payloads, parsed with zod at the edge ----

const snowflake = z.string().regex(/^\d{1,20}$/, 'Must be a snowflake');

const statusSchema = z.enum(['online', 'idle', 'dnd', 'invisible', 'offline']);

const activitySchema = z.object({
  name: z.string().max(128),
  type: z.number().int().min(0).max(6),
  url: z.string().max(512).nullish(),
  state: z.string().max(128).nullish(),
});

export const presenceUpdateSchema = z.object({
  since: z.number().nullable().optional().default(null),
  activities: z.array(activitySchema).max(5).default([]),
  status: statusSchema,
  afk: z.boolean().default(false),
});
export type PresenceUpdateData = z.output<typeof presenceUpdateSchema>;

export const identifySchema = z.object({
  token: z.string().min(1).max(512),
  properties: z
    .object({ os: z.string().max(64).optional(), browser: z.string().max(64).optional(), device: z.string().max(64).optional() })
    .passthrough()
    .default({}),
  compress: z.boolean().optional(),
  large_threshold: z.number().int().min(50).max(250).optional(),
  shard: z.tuple([z.number().int().min(0), z.number().int().min(1)]).optional(),
  presence: presenceUpdateSchema.optional(),
  intents: z.number().int().min(0).optional(),
});
export type IdentifyData = z.output<typeof identifySchema>;

export const resumeSchema = z.object({
  token: z.string().min(1).max(512),
  session_id: z.string().min(1).max(128),
  seq: z.number().int().min(0).nullable(),
});
export type ResumeData = z.output<typeof resumeSchema>;

export const voiceStateUpdateSchema = z.object({
  guild_id: snowflake,
  channel_id: snowflake.nullable(),
  self_mute: z.boolean().default(false),
  self_deaf: z.boolean().default(false),
  self_video: z.boolean().optional(),
});
export type VoiceStateUpdateData = z.output<typeof voiceStateUpdateSchema>;

export const requestGuildMembersSchema = z.object({
  guild_id: snowflake,
  query: z.string().max(100).optional(),
  limit: z.number().int().min(0).max(1000).default(0),
  presences: z.boolean().optional(),
  user_ids: z.union([snowflake, z.array(snowflake).max(100)]).optional(),
  nonce: z.string().max(32).optional(),
});

export const voiceSignalSchema = z.object({
  /** The session to deliver to. */
  session_id: z.string().min(1).max(128),
  signal: z.unknown(),
});
export type VoiceSignalRequest = z.output<typeof voiceSignalSchema>;

export const voiceSpeakingSchema = z.object({
  speaking: z.boolean(),
});
export type VoiceSpeakingRequest = z.output<typeof voiceSpeakingSchema>;

/** What the server accepts, by opcode. Anything else is close 4001. */
export type ClientPayload =
  | { op: 1; d: number | null }
  | { op: 2; d: IdentifyData }
  | { op: 3; d: PresenceUpdateData }
  | { op: 4; d: VoiceStateUpdateData }
  | { op: 6; d: ResumeData }
  | { op: 8; d: z.output<typeof requestGuildMembersSchema> }
  | { op: 40; d: VoiceSignalRequest }
  | { op: 41; d: VoiceSpeakingRequest };

export const heartbeatSchema = z.number().int().min(0).nullable();

/** Schemas by opcode, used by the gateway to parse `d`. */
export const clientPayloadSchemas = {
  [GatewayOpcode.HEARTBEAT]: heartbeatSchema,
  [GatewayOpcode.IDENTIFY]: identifySchema,
  [GatewayOpcode.PRESENCE_UPDATE]: presenceUpdateSchema,
  [GatewayOpcode.VOICE_STATE_UPDATE]: voiceStateUpdateSchema,
  [GatewayOpcode.RESUME]: resumeSchema,
  [GatewayOpcode.REQUEST_GUILD_MEMBERS]: requestGuildMembersSchema,
  [GatewayOpcode.VOICE_SIGNAL]: voiceSignalSchema,
  [GatewayOpcode.VOICE_SPEAKING]: voiceSpeakingSchema,
} as const;

export type { Activity, ClientStatus, Status };
