/**
 * `HearthBridge`: the one contract between the UI and the client core. Declared once here;
 * `HearthClient` (src/client) implements it in-page for the web client, Electron main serves the
 * same methods over IPC, and the preload exposes exactly {@link BRIDGE_METHODS} plus `subscribe`.
 *
 * IPC-friendly by construction: every method is async, takes and returns structured-clonable
 * data, and never throws; failures come back as `{ok: false, error}` ({@link BridgeResult}), so
 * field errors (50035) survive the trip. Pushes travel through ONE channel ({@link BridgeEvent}):
 * a snapshot of the state on (re)subscribe, then every {@link ClientAction} the core applied,
 * which the renderer feeds to the same pure reducer.
 */
import type { Snowflake } from '../snowflake.js';
import type {
  Application, Channel, ChannelType, CurrentUser, Guild, GuildMember, Invite, Message, Role, Status,
} from '../protocol/entities.js';
import type { AuthSession, CreatedApplication } from '../protocol/rest.js';
import type { BridgeError, ClientAction, ClientState } from './state.js';
import type { ClientSettings, ClientSettingsPatch, PushToTalkBinding } from './settings.js';

export type { BridgeError } from './state.js';

/** The result of every bridge call. */
export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

/** A file to upload, as bytes (structured-clonable; a browser `File` is read into this first). */
export interface BridgeFile {
  name: string;
  /** MIME type, e.g. `image/png`; empty when unknown. */
  type: string;
  bytes: Uint8Array;
}

// ---- Request bodies (Discord's field names where Discord has the call) ----

export interface RegisterInput {
  username: string;
  password: string;
  global_name?: string | null;
}

export interface LoginInput {
  /** Username. */
  login: string;
  password: string;
}

export interface ProfileInput {
  global_name?: string | null;
  /** A data URI (`data:image/png;base64,...`) or null to remove. */
  avatar?: string | null;
}

export interface GuildInput {
  name?: string;
  /** A data URI or null to remove. */
  icon?: string | null;
  system_channel_id?: Snowflake | null;
}

export interface OverwriteInput {
  id: Snowflake;
  type: 0 | 1;
  /** Permission bitfields as decimal strings. */
  allow: string;
  deny: string;
}

export interface ChannelInput {
  name?: string;
  type?: ChannelType;
  topic?: string | null;
  parent_id?: Snowflake | null;
  position?: number;
  bitrate?: number;
  user_limit?: number;
  permission_overwrites?: OverwriteInput[];
}

export interface PositionInput {
  id: Snowflake;
  position: number;
  /** Channels only: move under another category (or null for none). */
  parent_id?: Snowflake | null;
}

export interface RoleInput {
  name?: string;
  /** Permission bitfield as a decimal string. */
  permissions?: string;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

export interface MemberInput {
  nick?: string | null;
  /** Replaces the member's roles (not including @everyone). */
  roles?: Snowflake[];
}

export interface InviteInput {
  /** Seconds until expiry, 0 = never (Discord's default 86400). */
  max_age?: number;
  /** 0 = unlimited. */
  max_uses?: number;
  temporary?: boolean;
}

export interface ApplicationInput {
  name?: string;
  description?: string;
  /** Privileged intents allowed: GATEWAY_PRESENCE 1<<12, GATEWAY_GUILD_MEMBERS 1<<14, GATEWAY_MESSAGE_CONTENT 1<<18. */
  flags?: number;
}

export interface AddBotInput {
  application_id: Snowflake;
  /** Permission bitfield of the bot's managed role, as a decimal string ("0": no role). */
  permissions: string;
}

export interface SendMessageInput {
  channelId: Snowflake;
  content: string;
  /** Reply to this message (same channel). */
  replyTo?: Snowflake;
  files?: BridgeFile[];
}

/** What `sendMessage` gives back at once: the optimistic message's nonce (its ID until confirmed). */
export interface SendReceipt {
  channelId: Snowflake;
  nonce: string;
}

/** A page load's outcome. */
export interface HistoryPage {
  /** Messages that were new to the window. */
  added: number;
  hasMoreBefore: boolean;
  hasMoreAfter: boolean;
}

/** The signed-in state, for the first screen. */
export interface SessionInfo {
  serverUrl: string | null;
  user: CurrentUser | null;
}

/** Where the UI runs and what the host can do. */
export interface AppInfo {
  platform: 'web' | 'desktop';
  version: string;
  /** Global push-to-talk (desktop): available, or why not (e.g. Wayland without X). */
  globalPushToTalk: { available: true } | { available: false; reason: string };
  /** Auto-update state (desktop only; `unsupported` in the web client). */
  update: UpdateState;
  /**
   * Where updates come from and the key they must be signed with, in words (desktop only; null in
   * the web client), e.g. "Hearth releases, signing key 1a2b 3c4d 5e6f 7a8b".
   */
  updateSource: string | null;
  /** What the desktop around the app offers (desktop app only; null in the web client). */
  desktopShell: DesktopShellInfo | null;
}

/** Facts about the desktop session that change what the app settings offer and say. */
export interface DesktopShellInfo {
  /** A tray (notification area) is there: closing the window can hide Hearth in it. */
  tray: boolean;
  /** Running as an AppImage: it registers its own applications-menu entry (a setting). */
  appImage: boolean;
  /** Global shortcuts from the settings that another application owns. */
  shortcutsTaken: string[];
}

/**
 * The desktop app's auto-update state. An update is downloaded only after its signed metadata
 * verified, and offered for install (`downloaded`) only after the file's hash matched it; a
 * failed check on either is `refused`, with the reason, and nothing is installed.
 */
export type UpdateState =
  | { status: 'unsupported'; reason: string }
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'available'; version: string }
  | { status: 'downloading'; version: string; percent: number }
  | { status: 'downloaded'; version: string }
  | { status: 'refused'; version: string | null; reason: string }
  | { status: 'error'; message: string };

/** Events from the desktop host (Electron main) to the UI, through the same push channel. */
export type HostEvent =
  | { type: 'push-to-talk'; pressed: boolean }
  | { type: 'toggle-mute' }
  | { type: 'toggle-deafen' }
  | { type: 'update'; update: UpdateState }
  /**
   * A deep link `hearth://invite/[host/]CODE`: open the join dialog, or first offer to switch to
   * the server the link names (`server`: its base URL; null for the current server).
   */
  | { type: 'open-invite'; code: string; server: string | null }
  /** A notification was clicked: open this channel. */
  | { type: 'open-channel'; guildId: Snowflake; channelId: Snowflake };

/** Everything pushed to the UI. */
export type BridgeEvent =
  /** The whole state: first thing after subscribing (and after a renderer reload). */
  | { type: 'snapshot'; state: ClientState }
  /** One action the core applied; apply it with the same reducer. */
  | { type: 'action'; action: ClientAction }
  | { type: 'host'; event: HostEvent };

export type BridgeListener = (event: BridgeEvent) => void;

/**
 * The request/response methods of the bridge. Every method resolves to a {@link BridgeResult}.
 * `null` values mean "done, nothing to return".
 */
export interface HearthBridgeMethods {
  // Server and session
  getSession(): Promise<BridgeResult<SessionInfo>>;
  /** Checks that a Hearth server answers at `url` and remembers it. */
  setServerUrl(url: string): Promise<BridgeResult<string>>;
  register(input: RegisterInput): Promise<BridgeResult<CurrentUser>>;
  login(input: LoginInput): Promise<BridgeResult<CurrentUser>>;
  logout(): Promise<BridgeResult<null>>;
  updateProfile(input: ProfileInput): Promise<BridgeResult<CurrentUser>>;
  /** The user's sign-ins (devices), most recently used first; `state.authSessionId` is this one. */
  listSessions(): Promise<BridgeResult<AuthSession[]>>;
  /** Signs those sign-ins out: their tokens stop working and their connections close. */
  logoutSessions(idHashes: string[]): Promise<BridgeResult<null>>;

  // Guilds
  createGuild(input: { name: string; icon?: string | null }): Promise<BridgeResult<Guild>>;
  updateGuild(guildId: Snowflake, input: GuildInput): Promise<BridgeResult<Guild>>;
  deleteGuild(guildId: Snowflake): Promise<BridgeResult<null>>;
  leaveGuild(guildId: Snowflake): Promise<BridgeResult<null>>;

  // Channels
  createChannel(guildId: Snowflake, input: ChannelInput & { name: string }): Promise<BridgeResult<Channel>>;
  updateChannel(channelId: Snowflake, input: ChannelInput): Promise<BridgeResult<Channel>>;
  deleteChannel(channelId: Snowflake): Promise<BridgeResult<null>>;
  reorderChannels(guildId: Snowflake, positions: PositionInput[]): Promise<BridgeResult<null>>;
  setChannelOverwrite(channelId: Snowflake, overwrite: OverwriteInput): Promise<BridgeResult<null>>;
  deleteChannelOverwrite(channelId: Snowflake, targetId: Snowflake): Promise<BridgeResult<null>>;

  // Roles and members
  createRole(guildId: Snowflake, input: RoleInput): Promise<BridgeResult<Role>>;
  updateRole(guildId: Snowflake, roleId: Snowflake, input: RoleInput): Promise<BridgeResult<Role>>;
  deleteRole(guildId: Snowflake, roleId: Snowflake): Promise<BridgeResult<null>>;
  reorderRoles(guildId: Snowflake, positions: PositionInput[]): Promise<BridgeResult<Role[]>>;
  /** Loads the whole member list of the guild into the state. */
  loadMembers(guildId: Snowflake): Promise<BridgeResult<number>>;
  updateMember(guildId: Snowflake, userId: Snowflake, input: MemberInput): Promise<BridgeResult<GuildMember>>;
  kickMember(guildId: Snowflake, userId: Snowflake): Promise<BridgeResult<null>>;

  // Invites
  createInvite(channelId: Snowflake, input: InviteInput): Promise<BridgeResult<Invite>>;
  /** Looks an invite up without joining (guild name, member count). Accepts a code or a link. */
  getInvite(codeOrLink: string): Promise<BridgeResult<Invite>>;
  /** Joins the invite's guild; resolves with the invite (its `guild.id` is the joined guild). */
  acceptInvite(codeOrLink: string): Promise<BridgeResult<Invite>>;
  listInvites(guildId: Snowflake): Promise<BridgeResult<Invite[]>>;
  deleteInvite(code: string): Promise<BridgeResult<null>>;

  // Bot applications (the signed-in user's)
  listApplications(): Promise<BridgeResult<Application[]>>;
  /** Creates an application with its bot; the result carries the bot's token, shown only this once. */
  createApplication(input: ApplicationInput & { name: string }): Promise<BridgeResult<CreatedApplication>>;
  updateApplication(applicationId: Snowflake, input: ApplicationInput): Promise<BridgeResult<Application>>;
  /** The bot leaves every guild and its token stops working. */
  deleteApplication(applicationId: Snowflake): Promise<BridgeResult<null>>;
  /** Signs every token of the bot out; resolves with the new token. */
  resetBotToken(applicationId: Snowflake): Promise<BridgeResult<string>>;
  /** Adds the bot to the guild with a managed role of these permissions (null: it was there; its role was updated). */
  addBotToGuild(guildId: Snowflake, input: AddBotInput): Promise<BridgeResult<GuildMember | null>>;

  // Messages
  /**
   * Start-up hint: the channel the UI will open first (the remembered one). The core requests its
   * newest page alongside the gateway connection, once it has a token and unless already connected;
   * the first `loadLatestMessages` of that channel uses the answer. Does not wait for the page.
   */
  expectChannel(channelId: Snowflake): Promise<BridgeResult<null>>;
  /** Adds an optimistic message and sends it (queued while offline). Outcome shows in the state. */
  sendMessage(input: SendMessageInput): Promise<BridgeResult<SendReceipt>>;
  /** Re-sends a failed message with the same nonce and `enforce_nonce` (never duplicates). */
  retryMessage(channelId: Snowflake, nonce: string): Promise<BridgeResult<null>>;
  /** Drops a failed message from the window. */
  discardMessage(channelId: Snowflake, nonce: string): Promise<BridgeResult<null>>;
  editMessage(channelId: Snowflake, messageId: Snowflake, content: string): Promise<BridgeResult<Message>>;
  deleteMessage(channelId: Snowflake, messageId: Snowflake): Promise<BridgeResult<null>>;
  /** The newest page (opening a channel; "jump to present"). */
  loadLatestMessages(channelId: Snowflake): Promise<BridgeResult<HistoryPage>>;
  loadOlderMessages(channelId: Snowflake): Promise<BridgeResult<HistoryPage>>;
  loadNewerMessages(channelId: Snowflake): Promise<BridgeResult<HistoryPage>>;
  /** A page centred on a message (jump to a reply's original). */
  loadMessagesAround(channelId: Snowflake, messageId: Snowflake): Promise<BridgeResult<HistoryPage>>;
  /** Marks the channel read up to `messageId` (default: its newest message). */
  ackChannel(channelId: Snowflake, messageId?: Snowflake): Promise<BridgeResult<null>>;
  /** `emoji`: a unicode emoji. */
  addReaction(channelId: Snowflake, messageId: Snowflake, emoji: string): Promise<BridgeResult<null>>;
  removeReaction(channelId: Snowflake, messageId: Snowflake, emoji: string): Promise<BridgeResult<null>>;
  /** Fresh signed URLs for attachment URLs that expired (URLs of unreadable attachments are left out). */
  refreshAttachmentUrls(urls: string[]): Promise<BridgeResult<Record<string, string>>>;
  /** Call on every keystroke: sends at most one typing request per channel every 8 s. */
  sendTyping(channelId: Snowflake): Promise<BridgeResult<null>>;

  // Presence and voice
  setStatus(status: Exclude<Status, 'offline'>): Promise<BridgeResult<null>>;
  joinVoice(guildId: Snowflake, channelId: Snowflake): Promise<BridgeResult<null>>;
  leaveVoice(): Promise<BridgeResult<null>>;
  setSelfMute(muted: boolean): Promise<BridgeResult<null>>;
  setSelfDeaf(deafened: boolean): Promise<BridgeResult<null>>;
  /** Relays a WebRTC signal (simple-peer's object) to one session in the same voice channel. */
  sendVoiceSignal(sessionId: string, signal: unknown): Promise<BridgeResult<null>>;
  /** Tells the guild whether this client transmits voice now (op 41; speaking rings for everyone). */
  setVoiceSpeaking(speaking: boolean): Promise<BridgeResult<null>>;

  // Settings and the host
  getSettings(): Promise<BridgeResult<ClientSettings>>;
  updateSettings(patch: ClientSettingsPatch): Promise<BridgeResult<ClientSettings>>;
  getAppInfo(): Promise<BridgeResult<AppInfo>>;
  /** Desktop: restart and install a downloaded update. */
  installUpdate(): Promise<BridgeResult<null>>;
  /** Desktop: waits for the next key or mouse button pressed anywhere (global hook) and returns it. */
  capturePushToTalkBinding(): Promise<BridgeResult<PushToTalkBinding>>;
  /** Opens an http(s) link outside the app (system browser; a new tab in the web client). */
  openExternal(url: string): Promise<BridgeResult<null>>;
}

/** The whole contract: the methods plus the push subscription. */
export interface HearthBridge extends HearthBridgeMethods {
  /**
   * Listens for pushes. The listener first receives a `snapshot`, then `action`s and `host`
   * events in order. Returns a function that unsubscribes.
   */
  subscribe(listener: BridgeListener): () => void;
}

export type BridgeMethodName = keyof HearthBridgeMethods;

/** Typed as a record so adding a method to the interface without listing it here fails to compile. */
const METHOD_SET: { readonly [K in BridgeMethodName]: true } = {
  getSession: true, setServerUrl: true, register: true, login: true, logout: true, updateProfile: true, listSessions: true, logoutSessions: true,
  createGuild: true, updateGuild: true, deleteGuild: true, leaveGuild: true,
  createChannel: true, updateChannel: true, deleteChannel: true, reorderChannels: true,
  setChannelOverwrite: true, deleteChannelOverwrite: true,
  createRole: true, updateRole: true, deleteRole: true, reorderRoles: true,
  loadMembers: true, updateMember: true, kickMember: true,
  createInvite: true, getInvite: true, acceptInvite: true, listInvites: true, deleteInvite: true,
  listApplications: true, createApplication: true, updateApplication: true, deleteApplication: true, resetBotToken: true, addBotToGuild: true,
  expectChannel: true, sendMessage: true, retryMessage: true, discardMessage: true, editMessage: true, deleteMessage: true,
  loadLatestMessages: true, loadOlderMessages: true, loadNewerMessages: true, loadMessagesAround: true,
  ackChannel: true, addReaction: true, removeReaction: true, refreshAttachmentUrls: true, sendTyping: true,
  setStatus: true, joinVoice: true, leaveVoice: true, setSelfMute: true, setSelfDeaf: true, sendVoiceSignal: true, setVoiceSpeaking: true,
  getSettings: true, updateSettings: true, getAppInfo: true, installUpdate: true,
  capturePushToTalkBinding: true, openExternal: true,
};

/** Every request/response method of the bridge: what main serves and the preload exposes. */
export const BRIDGE_METHODS: readonly BridgeMethodName[] = Object.keys(METHOD_SET) as BridgeMethodName[];

/** IPC channel names (Electron): one invoke channel per method, one push channel. */
export const BRIDGE_IPC = {
  /** `ipcRenderer.invoke(BRIDGE_IPC.invoke(method), ...args)` → BridgeResult. */
  invoke: (method: BridgeMethodName): string => `hearth:invoke:${method}`,
  /** Renderer → main: (re)subscribe; main answers on `event` with a snapshot, then actions. */
  subscribe: 'hearth:subscribe',
  /** Renderer → main: stop pushing to this renderer. */
  unsubscribe: 'hearth:unsubscribe',
  /** Main → renderer: one {@link BridgeEvent} per message. */
  event: 'hearth:event',
} as const;

/** True when `name` is a bridge method (main checks every invoke against this). */
export function isBridgeMethod(name: string): name is BridgeMethodName {
  return Object.hasOwn(METHOD_SET, name);
}

/**
 * The desktop host's part (Electron main provides it to `HearthClient`): what the web client
 * cannot do. Methods the host lacks make the bridge call fail with a clear error.
 */
export interface DesktopHost {
  appInfo(): Omit<AppInfo, 'platform'>;
  installUpdate?(): Promise<void>;
  capturePushToTalkBinding?(): Promise<PushToTalkBinding>;
  openExternal?(url: string): Promise<void>;
}
