/**
 * Who is in which voice channel, behind one small interface ({@link VoiceStateRegistry}) so a
 * multi-node deployment can share it (e.g. through Redis) without the voice rules changing.
 * A user has at most one voice state in the whole server (Discord allows one voice connection
 * per user), so states are keyed by user; the guild and channel indexes serve fanout and caps.
 */
import type { VoiceState } from '../../shared/protocol/entities.js';
import type { Snowflake } from '../../shared/snowflake.js';

/** One user's voice connection, as the server keeps it. */
export interface StoredVoiceState {
  guildId: Snowflake;
  channelId: Snowflake;
  userId: Snowflake;
  /** The gateway session that owns the connection (signals are addressed to it). */
  sessionId: string;
  selfMute: boolean;
  selfDeaf: boolean;
  selfVideo: boolean;
  /** Server mute (the member's `mute`, set with MUTE_MEMBERS). */
  mute: boolean;
  /** Server deafen (the member's `deaf`, set with DEAFEN_MEMBERS). */
  deaf: boolean;
  /** No SPEAK permission in the channel: others must not hear this user. */
  suppress: boolean;
}

/** What the voice module, READY and GUILD_CREATE need to know about voice states. */
export interface VoiceStateRegistry {
  /** The user's voice state, wherever it is. */
  ofUser(userId: Snowflake): StoredVoiceState | undefined;
  /** The state owned by this gateway session, if any. */
  ofSession(sessionId: string): StoredVoiceState | undefined;
  inGuild(guildId: Snowflake): StoredVoiceState[];
  inChannel(channelId: Snowflake): StoredVoiceState[];
  /** Records a state (replacing the user's previous one, wherever it was). */
  set(state: StoredVoiceState): void;
  /** Removes the user's state; returns what it was. */
  remove(userId: Snowflake): StoredVoiceState | undefined;
  /** The guild's states in wire shape, for READY and GUILD_CREATE `voice_states`. */
  wireStatesInGuild(guildId: Snowflake): VoiceState[];
}

/** The wire shape of a stored state (`member` is added by the caller where Discord sends it). */
export function toWireVoiceState(state: StoredVoiceState): VoiceState {
  return {
    guild_id: state.guildId,
    channel_id: state.channelId,
    user_id: state.userId,
    session_id: state.sessionId,
    deaf: state.deaf,
    mute: state.mute,
    self_deaf: state.selfDeaf,
    self_mute: state.selfMute,
    self_video: state.selfVideo,
    suppress: state.suppress,
    request_to_speak_timestamp: null,
  };
}

/** The in-process registry of one node. */
export class LocalVoiceStateRegistry implements VoiceStateRegistry {
  private readonly byUser = new Map<Snowflake, StoredVoiceState>();
  private readonly byGuild = new Map<Snowflake, Set<Snowflake>>();
  private readonly byChannel = new Map<Snowflake, Set<Snowflake>>();
  private readonly bySession = new Map<string, Snowflake>();

  ofUser(userId: Snowflake): StoredVoiceState | undefined {
    return this.byUser.get(userId);
  }

  ofSession(sessionId: string): StoredVoiceState | undefined {
    const userId = this.bySession.get(sessionId);
    return userId === undefined ? undefined : this.byUser.get(userId);
  }

  inGuild(guildId: Snowflake): StoredVoiceState[] {
    return this.collect(this.byGuild.get(guildId));
  }

  inChannel(channelId: Snowflake): StoredVoiceState[] {
    return this.collect(this.byChannel.get(channelId));
  }

  set(state: StoredVoiceState): void {
    this.remove(state.userId);
    this.byUser.set(state.userId, { ...state });
    this.bySession.set(state.sessionId, state.userId);
    addTo(this.byGuild, state.guildId, state.userId);
    addTo(this.byChannel, state.channelId, state.userId);
  }

  remove(userId: Snowflake): StoredVoiceState | undefined {
    const state = this.byUser.get(userId);
    if (!state) return undefined;
    this.byUser.delete(userId);
    this.bySession.delete(state.sessionId);
    deleteFrom(this.byGuild, state.guildId, userId);
    deleteFrom(this.byChannel, state.channelId, userId);
    return state;
  }

  wireStatesInGuild(guildId: Snowflake): VoiceState[] {
    return this.inGuild(guildId).map(toWireVoiceState);
  }

  private collect(userIds: Set<Snowflake> | undefined): StoredVoiceState[] {
    const states: StoredVoiceState[] = [];
    for (const userId of userIds ?? []) {
      const state = this.byUser.get(userId);
      if (state) states.push({ ...state });
    }
    return states;
  }
}

function addTo(index: Map<Snowflake, Set<Snowflake>>, key: Snowflake, userId: Snowflake): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(userId);
}

function deleteFrom(index: Map<Snowflake, Set<Snowflake>>, key: Snowflake, userId: Snowflake): void {
  const set = index.get(key);
  set?.delete(userId);
  if (set?.size === 0) index.delete(key);
}
