/**
 * The client state that crosses the bridge: what the UI shows, as plain JSON (no Map, Set or
 * bigint) so it is structured-clonable over Electron IPC. The pure reducer in
 * `src/client/state/reducer.ts` runs on both sides of the bridge: the client core applies every
 * {@link ClientAction} and forwards it; the renderer applies the same action to its copy.
 */
import type { Snowflake } from '../snowflake.js';
import type { FieldErrorTree } from '../errors.js';
import type { DispatchPayload, IceServer } from '../protocol/gateway.js';
import type {
  Activity, Channel, ClientStatus, CurrentUser, Guild, GuildMember, Message, Role, Status, User, VoiceState,
} from '../protocol/entities.js';
import type { ClientSettings } from './settings.js';

/** An error as it crosses the bridge: the REST body plus the HTTP status (0 when unreachable). */
export interface BridgeError {
  code: number;
  message: string;
  status?: number;
  /** Discord's nested field errors (50035 Invalid Form Body), e.g. `{username: {_errors: [...]}}`. */
  errors?: FieldErrorTree;
}

/** What the gateway connection is doing; the UI shows a banner for everything but `ready`. */
export type ConnectionStatus =
  | 'idle'
  | 'connecting'
  | 'identifying'
  | 'resuming'
  | 'ready'
  | 'reconnecting'
  | 'failed';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Why the last connection ended (close reason or a description), when it did. */
  reason: string | null;
  /** The last close code, when one was received. */
  closeCode: number | null;
  /** Reconnect attempts since the last stable connection. */
  attempt: number;
  /** Unix ms of the next reconnect attempt while `reconnecting`. */
  retryAt: number | null;
}

/** Delivery state of a message in a window: `sent` messages came from the server. */
export type MessageDelivery = 'sent' | 'pending' | 'failed';

/** A message as the client holds it. Optimistic ones use their nonce as `id` until confirmed. */
export interface ClientMessage extends Message {
  delivery: MessageDelivery;
  /** Set on optimistic messages; the confirming MESSAGE_CREATE carries the same nonce. */
  nonce?: string;
  /** Why sending failed (`failed` only). */
  error?: BridgeError;
  /** Upload progress of the attached files (`pending` with files only). */
  upload?: { loaded: number; total: number };
  /** Files of an optimistic message, kept for a retry (not sent to the server as JSON). */
  localFiles?: { name: string; type: string; size: number }[];
}

/**
 * The loaded part of a channel's history: one contiguous run of messages, oldest first, then the
 * optimistic ones (pending/failed) at the end.
 */
export interface MessageWindow {
  messages: ClientMessage[];
  /** Older messages exist on the server (scroll up loads them). */
  hasMoreBefore: boolean;
  /** The window does not reach the present (after a jump); newer pages exist. */
  hasMoreAfter: boolean;
  loadingBefore: boolean;
  loadingAfter: boolean;
}

/** Per channel: the last message read and mentions since (Discord's read state). */
export interface ChannelReadState {
  lastMessageId: Snowflake | null;
  mentionCount: number;
}

/** A user's visible presence (merged across guilds, as Discord clients show it). */
export interface PresenceState {
  status: Exclude<Status, 'invisible'>;
  activities: Activity[];
  clientStatus: ClientStatus;
}

/** What this client asked for in voice (op 4); the server's VOICE_STATE_UPDATE confirms it. */
export interface SelfVoiceState {
  guildId: Snowflake | null;
  channelId: Snowflake | null;
  selfMute: boolean;
  selfDeaf: boolean;
}

/** A guild: the wire guild without its role list (roles live in {@link ClientState.roles}). */
export type GuildState = Omit<Guild, 'roles'> & { memberCount: number; joinedAt: string | null };

/** Everything the UI reads. Records keyed by snowflake. */
export interface ClientState {
  serverUrl: string | null;
  /** The logged-in user, null when signed out. */
  user: CurrentUser | null;
  /** The gateway session, for display/debugging; null until READY. */
  sessionId: string | null;
  /** The `id_hash` of this client's own sign-in in the sessions list (READY `auth_session_id_hash`). */
  authSessionId: string | null;
  connection: ConnectionState;
  /** Guild IDs in the order the user sees them (join order). */
  guildOrder: Snowflake[];
  guilds: Record<Snowflake, GuildState>;
  /** Roles by guild, then by role ID. */
  roles: Record<Snowflake, Record<Snowflake, Role>>;
  channels: Record<Snowflake, Channel>;
  /** Members by guild, then by user ID (without `user`: users live in {@link users}). */
  members: Record<Snowflake, Record<Snowflake, Omit<GuildMember, 'user'>>>;
  /** Whether the whole member list of the guild is loaded (READY may carry a partial one). */
  membersComplete: Record<Snowflake, boolean>;
  users: Record<Snowflake, User>;
  presences: Record<Snowflake, PresenceState>;
  /** Voice states by guild, then user ID: everyone sees who is in voice without joining. */
  voiceStates: Record<Snowflake, Record<Snowflake, VoiceState>>;
  selfVoice: SelfVoiceState;
  /** This user's own chosen status (what others see is in presences). */
  selfStatus: Status;
  messages: Record<Snowflake, MessageWindow>;
  /** Typing users by channel, then user ID: the Unix ms when the indicator expires. */
  typing: Record<Snowflake, Record<Snowflake, number>>;
  readStates: Record<Snowflake, ChannelReadState>;
  iceServers: IceServer[];
  voiceMeshLimit: number;
  settings: ClientSettings;
}

/** A gateway dispatch as the reducer sees it (without `s`), stamped with its arrival time. */
export type DispatchAction = {
  [K in DispatchPayload['t']]: { type: 'dispatch'; t: K; d: Extract<DispatchPayload, { t: K }>['d']; receivedAt: number };
}[DispatchPayload['t']];

/** Which page a history load fetched. */
export type HistoryDirection = 'latest' | 'before' | 'after' | 'around';

/** Every change to the client state. Dispatches from the gateway plus local actions. */
export type ClientAction =
  | DispatchAction
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'session/started'; serverUrl: string; user: CurrentUser }
  | { type: 'session/ended' }
  | { type: 'server-url'; serverUrl: string | null }
  | { type: 'settings'; settings: ClientSettings }
  | { type: 'self-status'; status: Status }
  | { type: 'self-voice'; voice: SelfVoiceState }
  | { type: 'history/loading'; channelId: Snowflake; direction: HistoryDirection }
  | { type: 'history/loaded'; channelId: Snowflake; direction: HistoryDirection; messages: Message[]; limit: number; anchorId?: Snowflake }
  | { type: 'history/failed'; channelId: Snowflake; direction: HistoryDirection }
  | { type: 'message/pending'; message: ClientMessage }
  | { type: 'message/upload-progress'; channelId: Snowflake; nonce: string; loaded: number; total: number }
  | { type: 'message/failed'; channelId: Snowflake; nonce: string; error: BridgeError }
  | { type: 'message/retrying'; channelId: Snowflake; nonce: string }
  | { type: 'message/discarded'; channelId: Snowflake; nonce: string }
  | { type: 'message/confirmed'; message: Message }
  | { type: 'message/removed'; channelId: Snowflake; messageId: Snowflake }
  | { type: 'message/upserted'; message: Message }
  | { type: 'read/acked'; channelId: Snowflake; messageId: Snowflake }
  | { type: 'members/loaded'; guildId: Snowflake; members: GuildMember[]; complete: boolean }
  | { type: 'guild/upserted'; guild: Guild }
  | { type: 'channel/upserted'; channel: Channel }
  | { type: 'typing/expired'; now: number };
