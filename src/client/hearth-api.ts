/**
 * Typed calls for the Hearth REST API (`/api/v10`, Discord's routes and shapes), on top of
 * {@link RestClient}. One method per endpoint the client uses. Request bodies have the types of
 * `shared/protocol/rest.ts`, the input types of the zod schemas the server parses them with, so
 * the client and the routes agree on every body by construction.
 */
import type { Snowflake } from '../shared/snowflake.js';
import type {
  Application, Channel, CurrentUser, Guild, GuildMember, Invite, Message, Role, User,
} from '../shared/protocol/entities.js';
import { DEVICE_TOKEN_HEADER } from '../shared/protocol/rest.js';
import type {
  AckMessageRequest, AddGuildBotRequest, AuthResponse, AuthSessionsResponse, BotTokenResponse, ChannelPositionsRequest, CreateApplicationRequest,
  CreateChannelRequest, CreateGuildRequest, CreateInviteRequest, CreatedApplication, CreateMessageRequest, CreateRoleRequest,
  EditMessageRequest, EditOverwriteRequest, LoginRequest, ModifyApplicationRequest, ModifyChannelRequest, ModifyCurrentUserRequest,
  LogoutSessionsRequest, ModifyGuildRequest, ModifyMemberRequest, ModifyRoleRequest, RefreshAttachmentUrlsRequest,
  RefreshAttachmentUrlsResponse, RegisterRequest, RolePositionsRequest,
} from '../shared/protocol/rest.js';
import type { BridgeFile } from '../shared/ipc/bridge.js';
import type { RestClient } from './rest-client.js';

/** A page of history: newest first, as the API returns it. */
export interface HistoryQuery {
  before?: Snowflake;
  after?: Snowflake;
  around?: Snowflake;
  limit: number;
}

/** A message as the client sends it: always with content and a nonce it enforces, so a retry cannot post twice. */
export type CreateMessageBody = CreateMessageRequest & { content: string; nonce: string; enforce_nonce: boolean };

const enc = encodeURIComponent;

export class HearthApi {
  constructor(readonly rest: RestClient) {}

  getGatewayUrl(): Promise<{ url: string }> {
    return this.rest.request('GET', '/gateway', { anonymous: true });
  }

  register(input: RegisterRequest): Promise<AuthResponse> {
    return this.rest.request('POST', '/auth/register', { body: input, anonymous: true });
  }

  /** Signs in; `deviceToken` (from an earlier sign-in to this server) marks this client as a known device. */
  login(input: LoginRequest, deviceToken?: string): Promise<AuthResponse> {
    const headers: Record<string, string> = deviceToken ? { [DEVICE_TOKEN_HEADER]: deviceToken } : {};
    return this.rest.request('POST', '/auth/login', { body: input, anonymous: true, headers });
  }

  logout(): Promise<void> {
    return this.rest.request('POST', '/auth/logout', { idempotent: true });
  }

  listSessions(): Promise<AuthSessionsResponse> {
    return this.rest.request('GET', '/auth/sessions');
  }

  logoutSessions(idHashes: string[]): Promise<void> {
    return this.rest.request('POST', '/auth/sessions/logout', {
      body: { session_id_hashes: idHashes } satisfies LogoutSessionsRequest, idempotent: true,
    });
  }

  refreshAttachmentUrls(urls: string[]): Promise<RefreshAttachmentUrlsResponse> {
    return this.rest.request('POST', '/attachments/refresh-urls', {
      body: { attachment_urls: urls } satisfies RefreshAttachmentUrlsRequest, idempotent: true,
    });
  }

  getCurrentUser(): Promise<CurrentUser> {
    return this.rest.request('GET', '/users/@me');
  }

  updateCurrentUser(input: ModifyCurrentUserRequest): Promise<CurrentUser> {
    return this.rest.request('PATCH', '/users/@me', { body: input });
  }

  getUser(userId: Snowflake): Promise<User> {
    return this.rest.request('GET', `/users/${userId}`);
  }

  createGuild(input: CreateGuildRequest): Promise<Guild> {
    return this.rest.request('POST', '/guilds', { body: input });
  }

  updateGuild(guildId: Snowflake, input: ModifyGuildRequest): Promise<Guild> {
    return this.rest.request('PATCH', `/guilds/${guildId}`, { body: input });
  }

  deleteGuild(guildId: Snowflake): Promise<void> {
    return this.rest.request('DELETE', `/guilds/${guildId}`);
  }

  leaveGuild(guildId: Snowflake): Promise<void> {
    return this.rest.request('DELETE', `/users/@me/guilds/${guildId}`);
  }

  listMembers(guildId: Snowflake, after: Snowflake | undefined, limit: number): Promise<GuildMember[]> {
    return this.rest.request('GET', `/guilds/${guildId}/members`, { query: { limit, after } });
  }

  updateMember(guildId: Snowflake, userId: Snowflake, input: ModifyMemberRequest): Promise<GuildMember> {
    return this.rest.request('PATCH', `/guilds/${guildId}/members/${userId}`, { body: input });
  }

  kickMember(guildId: Snowflake, userId: Snowflake): Promise<void> {
    return this.rest.request('DELETE', `/guilds/${guildId}/members/${userId}`);
  }

  createChannel(guildId: Snowflake, input: CreateChannelRequest): Promise<Channel> {
    return this.rest.request('POST', `/guilds/${guildId}/channels`, { body: input });
  }

  updateChannel(channelId: Snowflake, input: ModifyChannelRequest): Promise<Channel> {
    return this.rest.request('PATCH', `/channels/${channelId}`, { body: input });
  }

  deleteChannel(channelId: Snowflake): Promise<Channel> {
    return this.rest.request('DELETE', `/channels/${channelId}`);
  }

  reorderChannels(guildId: Snowflake, positions: ChannelPositionsRequest): Promise<void> {
    return this.rest.request('PATCH', `/guilds/${guildId}/channels`, { body: positions, idempotent: true });
  }

  putOverwrite(channelId: Snowflake, overwrite: EditOverwriteRequest & { id: Snowflake }): Promise<void> {
    const { id, ...body } = overwrite;
    return this.rest.request('PUT', `/channels/${channelId}/permissions/${id}`, { body });
  }

  deleteOverwrite(channelId: Snowflake, targetId: Snowflake): Promise<void> {
    return this.rest.request('DELETE', `/channels/${channelId}/permissions/${targetId}`);
  }

  createRole(guildId: Snowflake, input: CreateRoleRequest): Promise<Role> {
    return this.rest.request('POST', `/guilds/${guildId}/roles`, { body: input });
  }

  updateRole(guildId: Snowflake, roleId: Snowflake, input: ModifyRoleRequest): Promise<Role> {
    return this.rest.request('PATCH', `/guilds/${guildId}/roles/${roleId}`, { body: input, idempotent: true });
  }

  deleteRole(guildId: Snowflake, roleId: Snowflake): Promise<void> {
    return this.rest.request('DELETE', `/guilds/${guildId}/roles/${roleId}`);
  }

  reorderRoles(guildId: Snowflake, positions: RolePositionsRequest): Promise<Role[]> {
    return this.rest.request('PATCH', `/guilds/${guildId}/roles`, { body: positions.map(({ id, position }) => ({ id, position })) satisfies RolePositionsRequest, idempotent: true });
  }

  createInvite(channelId: Snowflake, input: CreateInviteRequest): Promise<Invite> {
    return this.rest.request('POST', `/channels/${channelId}/invites`, { body: input });
  }

  getInvite(code: string): Promise<Invite> {
    return this.rest.request('GET', `/invites/${enc(code)}`, { query: { with_counts: true, with_expiration: true } });
  }

  acceptInvite(code: string): Promise<Invite> {
    return this.rest.request('POST', `/invites/${enc(code)}`, { body: {}, idempotent: true });
  }

  listInvites(guildId: Snowflake): Promise<Invite[]> {
    return this.rest.request('GET', `/guilds/${guildId}/invites`);
  }

  deleteInvite(code: string): Promise<Invite> {
    return this.rest.request('DELETE', `/invites/${enc(code)}`);
  }

  listApplications(): Promise<Application[]> {
    return this.rest.request('GET', '/applications');
  }

  createApplication(input: CreateApplicationRequest): Promise<CreatedApplication> {
    return this.rest.request('POST', '/applications', { body: input });
  }

  updateApplication(applicationId: Snowflake, input: ModifyApplicationRequest): Promise<Application> {
    return this.rest.request('PATCH', `/applications/${applicationId}`, { body: input, idempotent: true });
  }

  deleteApplication(applicationId: Snowflake): Promise<void> {
    return this.rest.request('DELETE', `/applications/${applicationId}`);
  }

  resetBotToken(applicationId: Snowflake): Promise<BotTokenResponse> {
    return this.rest.request('POST', `/applications/${applicationId}/bot/reset`);
  }

  /** Resolves with the bot's member, or undefined (204) when it was already in the guild. */
  addBotToGuild(guildId: Snowflake, input: AddGuildBotRequest): Promise<GuildMember | undefined> {
    return this.rest.request('POST', `/guilds/${guildId}/bots`, { body: input, idempotent: true });
  }

  listMessages(channelId: Snowflake, query: HistoryQuery): Promise<Message[]> {
    return this.rest.request('GET', `/channels/${channelId}/messages`, { query: { ...query } });
  }

  /** Creates a message; with `enforce_nonce` a repeat returns the first one, so it is retry-safe. */
  createMessage(
    channelId: Snowflake,
    body: CreateMessageBody,
    files?: readonly BridgeFile[],
    onUploadProgress?: (loaded: number, total: number) => void,
  ): Promise<Message> {
    const withAttachments = files && files.length > 0
      ? { ...body, attachments: files.map((file, id) => ({ id, filename: file.name })) }
      : body;
    return this.rest.request('POST', `/channels/${channelId}/messages`, {
      body: withAttachments,
      ...(files && files.length > 0 ? { files } : {}),
      ...(onUploadProgress ? { onUploadProgress } : {}),
      idempotent: body.enforce_nonce,
    });
  }

  editMessage(channelId: Snowflake, messageId: Snowflake, content: string): Promise<Message> {
    return this.rest.request('PATCH', `/channels/${channelId}/messages/${messageId}`, { body: { content } satisfies EditMessageRequest, idempotent: true });
  }

  deleteMessage(channelId: Snowflake, messageId: Snowflake): Promise<void> {
    return this.rest.request('DELETE', `/channels/${channelId}/messages/${messageId}`);
  }

  addReaction(channelId: Snowflake, messageId: Snowflake, emoji: string): Promise<void> {
    return this.rest.request('PUT', `/channels/${channelId}/messages/${messageId}/reactions/${enc(emoji)}/@me`);
  }

  removeReaction(channelId: Snowflake, messageId: Snowflake, emoji: string): Promise<void> {
    return this.rest.request('DELETE', `/channels/${channelId}/messages/${messageId}/reactions/${enc(emoji)}/@me`);
  }

  triggerTyping(channelId: Snowflake): Promise<void> {
    return this.rest.request('POST', `/channels/${channelId}/typing`, { idempotent: true });
  }

  ackMessage(channelId: Snowflake, messageId: Snowflake): Promise<unknown> {
    return this.rest.request('POST', `/channels/${channelId}/messages/${messageId}/ack`, { body: {} satisfies AckMessageRequest, idempotent: true });
  }
}
