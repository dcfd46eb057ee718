/**
 * A guild as one session receives it (READY for users, GUILD_CREATE): presences of the members
 * online on this node, and what the session's intents allow. Without GUILD_PRESENCES there are
 * no presences; without GUILD_MEMBERS the member list holds only the session's own member (and
 * those in voice), as Discord does.
 */
import type { Snowflake } from '../../shared/snowflake.js';
import type { GatewayGuild } from '../../shared/protocol/gateway.js';
import { GatewayIntent } from '../../shared/protocol/gateway.js';
import type { Presence } from '../../shared/protocol/entities.js';
import type { PresenceView } from '../presence/presence.js';
import { serializeDispatch, type SerializedDispatch } from './dispatch.js';
import type { GatewaySession } from './session.js';

/** Visible presences of the given users in the guild (offline users are left out). */
export function guildPresences(guildId: Snowflake, userIds: Iterable<Snowflake>, presences: PresenceView): Presence[] {
  const result: Presence[] = [];
  for (const userId of userIds) {
    if (presences.isVisible(userId)) result.push({ ...presences.get(userId), guild_id: guildId });
  }
  return result;
}

/** The guild shaped by one session's intents (see above). */
export function guildForSession(guild: GatewayGuild, session: Pick<GatewaySession, 'userId' | 'hasIntent'>, presences: Presence[]): GatewayGuild {
  const withPresences = session.hasIntent(GatewayIntent.GUILD_PRESENCES) ? presences : [];
  if (session.hasIntent(GatewayIntent.GUILD_MEMBERS)) return { ...guild, presences: withPresences };
  const inVoice = new Set(guild.voice_states.map((state) => state.user_id));
  const members = guild.members.filter((member) => member.user.id === session.userId || inVoice.has(member.user.id));
  return { ...guild, members, presences: withPresences };
}

/**
 * GUILD_CREATE dispatches for one guild, serialized once per distinct shape: sessions with the
 * same intents (and, without GUILD_MEMBERS, the same user) share the same bytes.
 */
export class GuildCreateVariants {
  private readonly cache = new Map<string, SerializedDispatch>();

  constructor(
    private readonly guild: GatewayGuild,
    private readonly presences: Presence[],
  ) {}

  for(session: GatewaySession): SerializedDispatch {
    const members = session.hasIntent(GatewayIntent.GUILD_MEMBERS);
    const key = `${session.hasIntent(GatewayIntent.GUILD_PRESENCES) ? 'p' : '-'}${members ? 'm' : session.userId}`;
    let dispatch = this.cache.get(key);
    if (!dispatch) {
      dispatch = serializeDispatch('GUILD_CREATE', guildForSession(this.guild, session, this.presences));
      this.cache.set(key, dispatch);
    }
    return dispatch;
  }
}
