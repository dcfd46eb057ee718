/**
 * REST helpers for tests over real HTTP: a tiny JSON client, and one-call setup of users,
 * guilds and invites. Every helper asserts its call succeeded, so a broken setup fails loudly.
 */
import type { Channel, Guild, Invite } from '../../shared/protocol/entities.js';
import type { AuthResponse } from '../../shared/protocol/rest.js';

/** A response with its parsed JSON body (undefined for 204). */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls `/api/v10{path}` with a JSON body and the token as `Authorization`. */
export async function api<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = options.token;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}/api/v10${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

function expectOk<T>(response: ApiResponse<T>, what: string): T {
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/** A registered user: its ID, token and username. */
export interface TestUser {
  id: string;
  token: string;
  username: string;
}

let userCounter = 0;

/** Registers a user (a unique name when none is given) and returns its token. */
export async function registerUser(baseUrl: string, username?: string, password = 'correct horse battery'): Promise<TestUser> {
  userCounter += 1;
  const name = username ?? `user${process.pid % 10_000}_${userCounter}`;
  const auth = expectOk(
    await api<AuthResponse>(baseUrl, 'POST', '/auth/register', { body: { username: name, password } }),
    `register ${name}`,
  );
  return { id: auth.user_id, token: auth.token, username: name };
}

/** A guild made by `owner`, with its starter channels. */
export interface TestGuild {
  guild: Guild;
  channels: Channel[];
  /** The starter #general text channel. */
  general: Channel;
  /** The starter General voice channel. */
  voice: Channel;
}

/** Creates a guild owned by `owner` and loads its channels. */
export async function createGuild(baseUrl: string, owner: TestUser, name = 'Test Guild'): Promise<TestGuild> {
  const guild = expectOk(await api<Guild>(baseUrl, 'POST', '/guilds', { token: owner.token, body: { name } }), 'create guild');
  const channels = expectOk(await api<Channel[]>(baseUrl, 'GET', `/guilds/${guild.id}/channels`, { token: owner.token }), 'list channels');
  const general = channels.find((c) => c.type === 0 && c.name === 'general');
  const voice = channels.find((c) => c.type === 2);
  if (!general || !voice) throw new Error('starter channels missing');
  return { guild, channels, general, voice };
}

/** Makes `member` join the guild through a fresh invite to `channelId` created by `inviter`. */
export async function joinGuild(baseUrl: string, inviter: TestUser, channelId: string, member: TestUser): Promise<void> {
  const invite = expectOk(
    await api<Invite>(baseUrl, 'POST', `/channels/${channelId}/invites`, { token: inviter.token, body: { unique: true } }),
    'create invite',
  );
  expectOk(await api(baseUrl, 'POST', `/invites/${invite.code}`, { token: member.token }), 'accept invite');
}

/** A guild with its owner and a member, and a registered user who is in no guild. */
export async function ownerMemberStranger(baseUrl: string): Promise<{ owner: TestUser; member: TestUser; stranger: TestUser; guild: TestGuild }> {
  const owner = await registerUser(baseUrl, 'owner');
  const member = await registerUser(baseUrl, 'member');
  const stranger = await registerUser(baseUrl, 'stranger');
  const guild = await createGuild(baseUrl, owner);
  await joinGuild(baseUrl, owner, guild.general.id, member);
  return { owner, member, stranger, guild };
}
