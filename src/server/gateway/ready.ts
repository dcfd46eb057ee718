/**
 * READY and what follows it. User accounts get complete guilds inside READY; bots get
 * `{id, unavailable: true}` and then one GUILD_CREATE per guild, as Discord does.
 */
import type { Snowflake } from '../../shared/snowflake.js';
import { GATEWAY_VERSION, GatewayIntent, type GatewayGuild, type ReadyData } from '../../shared/protocol/gateway.js';
import type { ReadState } from '../../shared/protocol/entities.js';
import type { ServerContext } from '../context.js';
import type { UserRecord } from '../store/store.js';
import { authSessionIdHash } from '../domain/auth.js';
import { loadGatewayGuild, toCurrentUser } from '../domain/shapes.js';
import type { PresenceView } from '../presence/presence.js';
import { guildForSession, guildPresences } from './guild-payload.js';
import type { LocalGatewayRegistry } from './registry.js';
import type { GatewaySession } from './session.js';

/** The gateway URL clients connect to (and resume at): the node's base URL with ws(s) and `/gateway`. */
export function gatewayUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/gateway`;
}

/** What building READY needs. */
export interface ReadyDeps {
  ctx: ServerContext;
  registry: LocalGatewayRegistry;
  /** What others see of users' presences (this node's, or merged across nodes). */
  presences: PresenceView;
}

/** One guild as this session receives it, with the presences of members online on this node. */
export async function loadGuildForSession(deps: ReadyDeps, session: GatewaySession, guildId: Snowflake): Promise<GatewayGuild | undefined> {
  const guild = await loadGatewayGuild(deps.ctx.store, guildId, session.userId, { presences: [], voiceStates: deps.ctx.voiceStates.wireStatesInGuild(guildId) });
  if (!guild) return undefined;
  const presences = guildPresences(guildId, deps.registry.usersInGuild(guildId), deps.presences);
  return guildForSession(guild, session, presences);
}

/** READY for a session whose guilds are `guildIds`. */
export async function buildReady(deps: ReadyDeps, session: GatewaySession, user: UserRecord, guildIds: readonly Snowflake[]): Promise<ReadyData> {
  const { ctx } = deps;
  const ready: ReadyData = {
    v: GATEWAY_VERSION,
    user: toCurrentUser(user),
    guilds: [],
    session_id: session.id,
    resume_gateway_url: gatewayUrl(ctx.baseUrl()),
    session_type: 'normal',
    private_channels: [],
    relationships: [],
    read_state: [],
    hearth: { ice_servers: ctx.config.iceServers, voice_mesh_limit: ctx.config.voiceMeshLimit },
  };
  if (user.bot) {
    const application = await ctx.store.getApplicationByBotUser(user.id);
    if (application) ready.application = { id: application.id, flags: application.flags };
    ready.guilds = guildIds.map((id) => ({ id, unavailable: true as const }));
    return ready;
  }
  ready.auth_session_id_hash = authSessionIdHash(session.tokenHash);
  const [guilds, readStates] = await Promise.all([
    Promise.all(guildIds.map((id) => loadGuildForSession(deps, session, id))),
    ctx.store.getReadStates(user.id),
  ]);
  ready.guilds = guilds.filter((guild): guild is GatewayGuild => guild !== undefined);
  ready.read_state = readStates.map(
    (state): ReadState => ({ id: state.channelId, last_message_id: state.lastMessageId, mention_count: state.mentionCount }),
  );
  return ready;
}

/** Whether a bot session gets a GUILD_CREATE per guild after READY (GUILD_CREATE needs GUILDS). */
export function wantsGuildCreates(session: GatewaySession): boolean {
  return session.user.bot && session.hasIntent(GatewayIntent.GUILDS);
}
