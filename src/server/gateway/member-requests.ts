/**
 * op 8 REQUEST_GUILD_MEMBERS → GUILD_MEMBERS_CHUNK dispatches (discord.js `guild.members.fetch()`).
 * By `user_ids`, or by username / display name / nickname prefix (`query`, "" for everyone;
 * `limit` 0 = no limit). Requests for a guild the session is not in are ignored, as Discord does.
 */
import type { z } from 'zod';
import type { Snowflake } from '../../shared/snowflake.js';
import type { GuildMember } from '../../shared/protocol/entities.js';
import { GatewayIntent, type requestGuildMembersSchema } from '../../shared/protocol/gateway.js';
import type { MemberRecord, Store } from '../store/store.js';
import { loadMembers } from '../domain/shapes.js';
import { serializeDispatch } from './dispatch.js';
import { guildPresences } from './guild-payload.js';
import type { ReadyDeps } from './ready.js';
import type { GatewaySession } from './session.js';

type RequestGuildMembers = z.output<typeof requestGuildMembersSchema>;

/** Members per GUILD_MEMBERS_CHUNK, as Discord. */
const CHUNK_SIZE = 1000;
/** Members read from the store per page while scanning for a query. */
const PAGE_SIZE = 1000;

/** Answers one request with as many chunks as needed (at least one, possibly empty). */
export async function requestGuildMembers(deps: ReadyDeps, session: GatewaySession, request: RequestGuildMembers): Promise<void> {
  if (!session.guildIds.has(request.guild_id)) return;
  const { members, notFound } = request.user_ids !== undefined
    ? await membersByIds(deps.ctx.store, request.guild_id, typeof request.user_ids === 'string' ? [request.user_ids] : request.user_ids)
    : { members: await membersByQuery(deps.ctx.store, request.guild_id, request.query ?? '', request.limit), notFound: [] };
  const withPresences = request.presences === true && session.hasIntent(GatewayIntent.GUILD_PRESENCES);
  const chunkCount = Math.max(1, Math.ceil(members.length / CHUNK_SIZE));
  for (let index = 0; index < chunkCount; index += 1) {
    const chunk = members.slice(index * CHUNK_SIZE, (index + 1) * CHUNK_SIZE);
    session.dispatch(serializeDispatch('GUILD_MEMBERS_CHUNK', {
      guild_id: request.guild_id,
      members: chunk,
      chunk_index: index,
      chunk_count: chunkCount,
      ...(index === 0 && notFound.length > 0 ? { not_found: notFound } : {}),
      ...(withPresences ? { presences: guildPresences(request.guild_id, chunk.map((m) => m.user.id), deps.presences) } : {}),
      ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
    }));
  }
}

async function membersByIds(store: Store, guildId: Snowflake, userIds: readonly Snowflake[]): Promise<{ members: GuildMember[]; notFound: Snowflake[] }> {
  const records = await Promise.all(userIds.map((userId) => store.getMember(guildId, userId)));
  const found = records.filter((record): record is MemberRecord => record !== undefined);
  const foundIds = new Set(found.map((record) => record.userId));
  return { members: await loadMembers(store, found), notFound: userIds.filter((id) => !foundIds.has(id)) };
}

function matches(member: GuildMember, prefix: string): boolean {
  return [member.user.username, member.user.global_name, member.nick].some((name) => name?.toLowerCase().startsWith(prefix));
}

async function membersByQuery(store: Store, guildId: Snowflake, query: string, limit: number): Promise<GuildMember[]> {
  const prefix = query.toLowerCase();
  const max = limit === 0 ? Number.POSITIVE_INFINITY : limit;
  const result: GuildMember[] = [];
  let after: Snowflake | undefined;
  while (result.length < max) {
    const page = await store.listMembers(guildId, { ...(after ? { after } : {}), limit: PAGE_SIZE });
    if (page.length === 0) break;
    after = page[page.length - 1]?.userId;
    for (const member of await loadMembers(store, page)) {
      if (result.length < max && (prefix === '' || matches(member, prefix))) result.push(member);
    }
    if (page.length < PAGE_SIZE) break;
  }
  return result;
}
