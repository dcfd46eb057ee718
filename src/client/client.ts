/**
 * HearthClient: the whole {@link HearthBridge} (sessions, guild management, messages here;
 * presence, voice, settings and host calls in {@link HearthClientPresence}). Methods
 * never throw: each resolves to `{ok: true, value}` or `{ok: false, error}` with the server's
 * code and field errors, so results cross Electron IPC unchanged.
 */
import { compareSnowflakes, SnowflakeGenerator, type Snowflake } from '../shared/snowflake.js';
import { HearthError } from '../shared/errors.js';
import type { Application, Channel, CurrentUser, Guild, GuildMember, Invite, Message, Role } from '../shared/protocol/entities.js';
import type { AuthResponse, AuthSession, CreatedApplication } from '../shared/protocol/rest.js';
import type {
  AddBotInput, ApplicationInput, BridgeResult, ChannelInput, GuildInput, HearthBridge, HistoryPage, InviteInput, LoginInput, MemberInput,
  OverwriteInput, PositionInput, ProfileInput, RegisterInput, RoleInput, SendMessageInput, SendReceipt, SessionInfo,
} from '../shared/ipc/bridge.js';
import type { HearthClientOptions } from './client-core.js';
import { HearthClientPresence } from './client-presence.js';
import { normalizeServerUrl } from './session.js';
import { parseInviteLink } from '../shared/invite.js';
import { RestClient, RestError } from './rest-client.js';
import { HearthApi } from './hearth-api.js';
import { optimisticMessage } from './outbox.js';
import { KnownDevices } from './known-devices.js';

export type { HearthClientOptions } from './client-core.js';

/** Discord's message length limit. */
const MAX_CONTENT_LENGTH = 2000;
/** A typing request lasts 10 s on the server; re-sending every 8 s keeps the indicator steady. */
const TYPING_RESEND_MS = 8000;
/** Members fetched per page by `loadMembers`. */
const MEMBER_PAGE = 1000;

export class HearthClient extends HearthClientPresence implements HearthBridge {
  private readonly nonces: SnowflakeGenerator;
  private readonly typingSentAt = new Map<Snowflake, number>();
  private readonly devices: KnownDevices;

  constructor(options: HearthClientOptions) {
    super(options);
    this.devices = new KnownDevices(options.storage);
    const random = options.random ?? Math.random;
    this.nonces = new SnowflakeGenerator({ workerId: Math.floor(random() * 32), processId: Math.floor(random() * 32), now: this.now });
  }

  // ---- Server and session ----

  getSession(): Promise<BridgeResult<SessionInfo>> {
    return this.settle(async () => this.sessionInfo());
  }

  setServerUrl(input: string): Promise<BridgeResult<string>> {
    return this.settle(async () => {
      const url = normalizeServerUrl(input);
      if (!url) throw this.fieldError('url', 'URL_TYPE_INVALID_URL', 'Enter a server address such as https://chat.example.org');
      const probe = new HearthApi(new RestClient({ baseUrl: url, maxRetries: 0, ...(this.options.fetch ? { fetch: this.options.fetch } : {}) }));
      const gateway = await probe.getGatewayUrl().catch((error: unknown) => {
        // Something answered, but not as a Hearth server does (a web page, a 404...).
        if (error instanceof RestError && error.status !== 0) throw new HearthError('CLIENT_NOT_A_HEARTH_SERVER');
        throw error;
      });
      if (!gateway || typeof gateway.url !== 'string') throw new HearthError('CLIENT_NOT_A_HEARTH_SERVER');
      if (url !== this.state.serverUrl) {
        if (this.state.user) await this.endSession();
        this.useServer(url, null);
        await this.options.storage.set('serverUrl', url);
        this.apply({ type: 'server-url', serverUrl: url });
      }
      return url;
    });
  }

  register(input: RegisterInput): Promise<BridgeResult<CurrentUser>> {
    return this.settle(async () => this.signIn(await this.api().register(input)));
  }

  login(input: LoginInput): Promise<BridgeResult<CurrentUser>> {
    return this.settle(async () => {
      const deviceToken = this.state.serverUrl ? await this.devices.tokenFor(this.state.serverUrl) : undefined;
      return this.signIn(await this.api().login(input, deviceToken));
    });
  }

  private async signIn(auth: AuthResponse): Promise<CurrentUser> {
    const serverUrl = this.state.serverUrl;
    if (!serverUrl || !this.rest) throw new HearthError('CLIENT_NO_SERVER');
    // An older server sends none; then this client simply stays an unknown device there.
    if (typeof auth.device_token === 'string') await this.devices.remember(serverUrl, auth.device_token);
    this.rest.setToken(auth.token);
    const user = await this.api().getCurrentUser();
    await this.beginSession(serverUrl, auth.token, user);
    return user;
  }

  logout(): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      // Revoke the token on the server when it can be reached; sign out locally regardless.
      if (this.rest?.getToken()) await this.api().logout().catch(() => undefined);
      await this.endSession();
      return null;
    });
  }

  updateProfile(input: ProfileInput): Promise<BridgeResult<CurrentUser>> {
    return this.settle(async () => {
      const user = await this.requireSignedIn().api.updateCurrentUser(input);
      await this.options.storage.set('user', JSON.stringify(user));
      this.apply({ type: 'dispatch', t: 'USER_UPDATE', d: user, receivedAt: this.now() });
      return user;
    });
  }

  listSessions(): Promise<BridgeResult<AuthSession[]>> {
    return this.settle(async () => (await this.requireSignedIn().api.listSessions()).user_sessions);
  }

  logoutSessions(idHashes: string[]): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      if (idHashes.length > 0) await this.requireSignedIn().api.logoutSessions(idHashes);
      return null;
    });
  }

  // ---- Guilds, channels, roles, members ----

  createGuild(input: { name: string; icon?: string | null }): Promise<BridgeResult<Guild>> {
    return this.settle(async () => {
      const guild = await this.requireSignedIn().api.createGuild(input);
      this.apply({ type: 'guild/upserted', guild });
      return guild;
    });
  }

  updateGuild(guildId: Snowflake, input: GuildInput): Promise<BridgeResult<Guild>> {
    return this.settle(async () => {
      const guild = await this.requireSignedIn().api.updateGuild(guildId, input);
      this.apply({ type: 'guild/upserted', guild });
      return guild;
    });
  }

  deleteGuild(guildId: Snowflake): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.deleteGuild(guildId);
      this.apply({ type: 'dispatch', t: 'GUILD_DELETE', d: { id: guildId }, receivedAt: this.now() });
      return null;
    });
  }

  leaveGuild(guildId: Snowflake): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.leaveGuild(guildId);
      this.apply({ type: 'dispatch', t: 'GUILD_DELETE', d: { id: guildId }, receivedAt: this.now() });
      return null;
    });
  }

  createChannel(guildId: Snowflake, input: ChannelInput & { name: string }): Promise<BridgeResult<Channel>> {
    return this.settle(async () => {
      const channel = await this.requireSignedIn().api.createChannel(guildId, input);
      this.apply({ type: 'channel/upserted', channel });
      return channel;
    });
  }

  updateChannel(channelId: Snowflake, input: ChannelInput): Promise<BridgeResult<Channel>> {
    return this.settle(async () => {
      const channel = await this.requireSignedIn().api.updateChannel(channelId, input);
      this.apply({ type: 'channel/upserted', channel });
      return channel;
    });
  }

  deleteChannel(channelId: Snowflake): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      const channel = await this.requireSignedIn().api.deleteChannel(channelId);
      if (channel && typeof channel.id === 'string') this.apply({ type: 'dispatch', t: 'CHANNEL_DELETE', d: channel, receivedAt: this.now() });
      return null;
    });
  }

  reorderChannels(guildId: Snowflake, positions: PositionInput[]): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.reorderChannels(guildId, positions);
      return null;
    });
  }

  setChannelOverwrite(channelId: Snowflake, overwrite: OverwriteInput): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.putOverwrite(channelId, overwrite);
      return null;
    });
  }

  deleteChannelOverwrite(channelId: Snowflake, targetId: Snowflake): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.deleteOverwrite(channelId, targetId);
      return null;
    });
  }

  createRole(guildId: Snowflake, input: RoleInput): Promise<BridgeResult<Role>> {
    return this.settle(async () => this.requireSignedIn().api.createRole(guildId, input));
  }

  updateRole(guildId: Snowflake, roleId: Snowflake, input: RoleInput): Promise<BridgeResult<Role>> {
    return this.settle(async () => this.requireSignedIn().api.updateRole(guildId, roleId, input));
  }

  deleteRole(guildId: Snowflake, roleId: Snowflake): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.deleteRole(guildId, roleId);
      return null;
    });
  }

  reorderRoles(guildId: Snowflake, positions: PositionInput[]): Promise<BridgeResult<Role[]>> {
    return this.settle(async () => this.requireSignedIn().api.reorderRoles(guildId, positions));
  }

  loadMembers(guildId: Snowflake): Promise<BridgeResult<number>> {
    return this.settle(async () => {
      const { api } = this.requireSignedIn();
      const all: GuildMember[] = [];
      let after: Snowflake | undefined;
      for (;;) {
        const page = await api.listMembers(guildId, after, MEMBER_PAGE);
        all.push(...page);
        if (page.length < MEMBER_PAGE) break;
        after = page[page.length - 1]?.user.id;
      }
      this.apply({ type: 'members/loaded', guildId, members: all, complete: true });
      return all.length;
    });
  }

  updateMember(guildId: Snowflake, userId: Snowflake, input: MemberInput): Promise<BridgeResult<GuildMember>> {
    return this.settle(async () => this.requireSignedIn().api.updateMember(guildId, userId, input));
  }

  kickMember(guildId: Snowflake, userId: Snowflake): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.kickMember(guildId, userId);
      return null;
    });
  }

  // ---- Invites ----

  createInvite(channelId: Snowflake, input: InviteInput): Promise<BridgeResult<Invite>> {
    return this.settle(async () => this.requireSignedIn().api.createInvite(channelId, input));
  }

  getInvite(codeOrLink: string): Promise<BridgeResult<Invite>> {
    return this.settle(async () => this.api().getInvite(this.inviteCode(codeOrLink)));
  }

  acceptInvite(codeOrLink: string): Promise<BridgeResult<Invite>> {
    return this.settle(async () => this.requireSignedIn().api.acceptInvite(this.inviteCode(codeOrLink)));
  }

  listInvites(guildId: Snowflake): Promise<BridgeResult<Invite[]>> {
    return this.settle(async () => this.requireSignedIn().api.listInvites(guildId));
  }

  deleteInvite(code: string): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.deleteInvite(this.inviteCode(code));
      return null;
    });
  }

  // ---- Bot applications ----

  listApplications(): Promise<BridgeResult<Application[]>> {
    return this.settle(async () => this.requireSignedIn().api.listApplications());
  }

  createApplication(input: ApplicationInput & { name: string }): Promise<BridgeResult<CreatedApplication>> {
    return this.settle(async () => this.requireSignedIn().api.createApplication(input));
  }

  updateApplication(applicationId: Snowflake, input: ApplicationInput): Promise<BridgeResult<Application>> {
    return this.settle(async () => this.requireSignedIn().api.updateApplication(applicationId, input));
  }

  deleteApplication(applicationId: Snowflake): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.deleteApplication(applicationId);
      return null;
    });
  }

  resetBotToken(applicationId: Snowflake): Promise<BridgeResult<string>> {
    return this.settle(async () => (await this.requireSignedIn().api.resetBotToken(applicationId)).token);
  }

  addBotToGuild(guildId: Snowflake, input: AddBotInput): Promise<BridgeResult<GuildMember | null>> {
    return this.settle(async () => (await this.requireSignedIn().api.addBotToGuild(guildId, input)) ?? null);
  }

  /** The code of an invite on this server; a link to another server is refused, never looked up here. */
  private inviteCode(codeOrLink: string): string {
    const link = parseInviteLink(codeOrLink);
    if (!link) throw this.fieldError('code', 'INVITE_CODE_INVALID', 'Enter an invite code or an invite link');
    if (link.server !== null && link.server !== this.state.serverUrl) {
      throw new HearthError('CLIENT_INVITE_OTHER_SERVER', undefined, `This invite is for the Hearth server at ${link.server}. Switch to that server to join.`);
    }
    return link.code;
  }

  // ---- Messages ----

  sendMessage(input: SendMessageInput): Promise<BridgeResult<SendReceipt>> {
    return this.settle(async () => {
      const { user } = this.requireSignedIn();
      const files = input.files ?? [];
      const content = input.content.trim();
      if (content.length === 0 && files.length === 0) throw new HearthError('EMPTY_MESSAGE');
      if (content.length > MAX_CONTENT_LENGTH) {
        throw this.fieldError('content', 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_CONTENT_LENGTH} or fewer in length.`);
      }
      const channel = this.state.channels[input.channelId];
      if (!channel) throw new HearthError('UNKNOWN_CHANNEL');
      // A sent message ends the author's typing indicator for everyone, so the next keystroke
      // must be able to start it again at once.
      this.typingSentAt.delete(input.channelId);
      const nonce = this.nonces.next();
      const referenced = input.replyTo ? this.state.messages[channel.id]?.messages.find((m) => m.id === input.replyTo) : undefined;
      this.apply({ type: 'message/pending', message: optimisticMessage({ channel, author: user, nonce, content, input, referenced, now: this.now() }) });
      this.outbox.enqueue({
        channelId: channel.id, nonce, content, ...(input.replyTo ? { replyTo: input.replyTo } : {}), ...(files.length > 0 ? { files } : {}),
      });
      return { channelId: channel.id, nonce };
    });
  }

  retryMessage(channelId: Snowflake, nonce: string): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      this.requireSignedIn();
      if (!this.outbox.retry(channelId, nonce)) throw new HearthError('UNKNOWN_MESSAGE');
      return null;
    });
  }

  discardMessage(channelId: Snowflake, nonce: string): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      if (!this.outbox.discard(channelId, nonce)) throw new HearthError('UNKNOWN_MESSAGE');
      return null;
    });
  }

  editMessage(channelId: Snowflake, messageId: Snowflake, content: string): Promise<BridgeResult<Message>> {
    return this.settle(async () => {
      const { api } = this.requireSignedIn();
      if (content.trim().length === 0) throw new HearthError('EMPTY_MESSAGE');
      const message = await api.editMessage(channelId, messageId, content);
      this.apply({ type: 'message/upserted', message });
      return message;
    });
  }

  deleteMessage(channelId: Snowflake, messageId: Snowflake): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.deleteMessage(channelId, messageId);
      this.apply({ type: 'message/removed', channelId, messageId });
      return null;
    });
  }

  loadLatestMessages(channelId: Snowflake): Promise<BridgeResult<HistoryPage>> {
    return this.settle(async () => this.history.latest(channelId));
  }

  loadOlderMessages(channelId: Snowflake): Promise<BridgeResult<HistoryPage>> {
    return this.settle(async () => this.history.older(channelId));
  }

  loadNewerMessages(channelId: Snowflake): Promise<BridgeResult<HistoryPage>> {
    return this.settle(async () => this.history.newer(channelId));
  }

  loadMessagesAround(channelId: Snowflake, messageId: Snowflake): Promise<BridgeResult<HistoryPage>> {
    return this.settle(async () => this.history.around(channelId, messageId));
  }

  ackChannel(channelId: Snowflake, messageId?: Snowflake): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      const { api } = this.requireSignedIn();
      const target = messageId ?? this.state.channels[channelId]?.last_message_id ?? undefined;
      if (!target) return null;
      // Read markers only move forward, as Discord's.
      const read = this.state.readStates[channelId];
      if (read?.lastMessageId && compareSnowflakes(read.lastMessageId, target) >= 0 && read.mentionCount === 0) return null;
      this.apply({ type: 'read/acked', channelId, messageId: target });
      await api.ackMessage(channelId, target);
      return null;
    });
  }

  addReaction(channelId: Snowflake, messageId: Snowflake, emoji: string): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.addReaction(channelId, messageId, emoji);
      return null;
    });
  }

  removeReaction(channelId: Snowflake, messageId: Snowflake, emoji: string): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      await this.requireSignedIn().api.removeReaction(channelId, messageId, emoji);
      return null;
    });
  }

  refreshAttachmentUrls(urls: string[]): Promise<BridgeResult<Record<string, string>>> {
    return this.settle(async () => {
      const { refreshed_urls: refreshed } = await this.requireSignedIn().api.refreshAttachmentUrls(urls);
      return Object.fromEntries(refreshed.map(({ original, refreshed: url }) => [original, url]));
    });
  }

  sendTyping(channelId: Snowflake): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      const { api } = this.requireSignedIn();
      const last = this.typingSentAt.get(channelId);
      if (last !== undefined && this.now() - last < TYPING_RESEND_MS) return null;
      this.typingSentAt.set(channelId, this.now());
      await api.triggerTyping(channelId);
      return null;
    });
  }
}

export { RestError };
