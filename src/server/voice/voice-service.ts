/**
 * The voice module: op 4 VOICE_STATE_UPDATE (join, move, leave, self mute/deafen) and op 40
 * VOICE_SIGNAL (WebRTC signaling relayed between sessions of one voice channel), op 41
 * VOICE_SPEAKING (who transmits, relayed to the guild as HEARTH_VOICE_SPEAKING). Refusals go
 * to the requesting session as a HEARTH_VOICE_ERROR dispatch; the socket stays open.
 *
 * State changes run one at a time (a queue), so caps are counted against settled state and
 * every VOICE_STATE_UPDATE is published in the order the states changed. Voice states end
 * with their session (after the resume window), on leave or kick, and with their channel or
 * guild; permission and member changes re-check who may stay and who is suppressed.
 */
import { Errors, HearthError, type ErrorName } from '../../shared/errors.js';
import type { VoiceState } from '../../shared/protocol/entities.js';
import type { VoiceErrorData, VoiceSignalRequest, VoiceSpeakingRequest, VoiceStateUpdateData } from '../../shared/protocol/gateway.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { ServerContext } from '../context.js';
import type { HearthEvent } from '../bus/events.js';
import type { VoiceOpcodeHandlers } from '../gateway/handlers.js';
import type { GatewayRegistry } from '../gateway/registry.js';
import { SerialQueue } from '../gateway/serial-queue.js';
import type { GatewaySession } from '../gateway/session.js';
import { toMember } from '../domain/shapes.js';
import { SignalRateLimiter } from './signal-limiter.js';
import { voiceChannelAccess, type VoiceChannelAccess } from './voice-access.js';
import { toWireVoiceState, type StoredVoiceState, type VoiceStateRegistry } from './voice-states.js';

/** Who a state change is announced to besides the guild (a removed member no longer hears the guild). */
type ExtraAudience = readonly Snowflake[];

export class VoiceService implements VoiceOpcodeHandlers {
  private readonly queue = new SerialQueue();
  private readonly signals = new SignalRateLimiter();
  /** Speaking flips at most every few hundred ms (the clients' hangover): a burst of 20, then 5 per second. */
  private readonly speakingLimiter = new SignalRateLimiter(20, 5);
  /** What each session last said about speaking, so only changes are announced. */
  private readonly speaking = new Map<string, boolean>();
  private readonly unsubscribers: (() => void)[] = [];

  constructor(
    private readonly ctx: ServerContext,
    private readonly sessions: GatewayRegistry,
    private readonly states: VoiceStateRegistry,
  ) {
    this.unsubscribers.push(
      ctx.events.subscribe((event) => this.onEvent(event)),
      sessions.onSessionEnd((session) => this.onSessionEnd(session)),
    );
  }

  /** Stops listening (server shutdown); states stay as they were. */
  close(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  /** Resolves once every queued state change has been applied (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  voiceStateUpdate(session: GatewaySession, data: VoiceStateUpdateData): Promise<void> {
    return this.queue.run(() => this.applyStateUpdate(session, data));
  }

  voiceSignal(session: GatewaySession, data: VoiceSignalRequest): void {
    const from = this.states.ofSession(session.id);
    const refuse = (name: ErrorName, retryAfter?: number) =>
      this.refuse(session, { op: 40, guild_id: from?.guildId ?? null, channel_id: from?.channelId ?? null, session_id: data.session_id }, name, retryAfter);
    if (!from) return refuse('VOICE_NOT_CONNECTED');
    const wait = this.signals.take(session.id);
    if (wait > 0) return refuse('RATE_LIMITED', Math.ceil(wait * 1000) / 1000);
    const target = this.states.ofSession(data.session_id);
    if (!target || target.channelId !== from.channelId || target.sessionId === session.id) return refuse('VOICE_TARGET_NOT_CONNECTED');
    const delivered = this.sessions.sendTo(target.sessionId, 'HEARTH_VOICE_SIGNAL', {
      from_session_id: session.id,
      from_user_id: session.userId,
      channel_id: from.channelId,
      signal: data.signal,
    });
    if (!delivered) refuse('VOICE_TARGET_NOT_CONNECTED');
  }

  /**
   * op 41: the user in voice starts or stops transmitting; the guild hears HEARTH_VOICE_SPEAKING
   * on every change. A muted, deafened or suppressed user is never announced as speaking.
   */
  voiceSpeaking(session: GatewaySession, data: VoiceSpeakingRequest): void {
    const from = this.states.ofSession(session.id);
    const refuse = (name: ErrorName, retryAfter?: number) =>
      this.refuse(session, { op: 41, guild_id: from?.guildId ?? null, channel_id: from?.channelId ?? null }, name, retryAfter);
    if (!from) return refuse('VOICE_NOT_CONNECTED');
    const wait = this.speakingLimiter.take(session.id);
    if (wait > 0) return refuse('RATE_LIMITED', Math.ceil(wait * 1000) / 1000);
    const speaking = data.speaking && !from.selfMute && !from.selfDeaf && !from.mute && !from.suppress;
    if ((this.speaking.get(session.id) ?? false) === speaking) return;
    this.speaking.set(session.id, speaking);
    this.ctx.events.publish({
      t: 'HEARTH_VOICE_SPEAKING',
      d: { guild_id: from.guildId, channel_id: from.channelId, user_id: from.userId, speaking },
      audience: { kind: 'guild', guildId: from.guildId },
    });
  }

  /**
   * A moderator moves a member who is in voice in the guild to another voice channel, or
   * disconnects them (`channelId` null) — `PATCH /guilds/:g/members/:u {channel_id}`; the route
   * checks the moderator's MOVE_MEMBERS. Throws 40032 when the member is not in voice there, the
   * channel errors of op 4 when the member could not join it themselves, 50105 at the mesh cap
   * (the channel's `user_limit` does not stop a moderator, as in Discord).
   */
  moveMember(guildId: Snowflake, userId: Snowflake, channelId: Snowflake | null): Promise<void> {
    return this.queue.run(async () => {
      const current = this.states.ofUser(userId);
      if (!current || current.guildId !== guildId) throw new HearthError('VOICE_TARGET_NOT_CONNECTED');
      if (channelId === null) return this.end(current);
      if (channelId === current.channelId) return;
      const result = await voiceChannelAccess(this.ctx.store, guildId, channelId, userId);
      if (!result.ok) throw new HearthError(result.error);
      const others = this.states.inChannel(channelId).filter((state) => state.userId !== userId).length;
      if (others >= this.ctx.config.voiceMeshLimit) throw new HearthError('VOICE_MESH_FULL');
      const { member, canSpeak } = result.access;
      const moved = { ...current, channelId, mute: member.mute, deaf: member.deaf, suppress: !canSpeak };
      this.states.set(moved);
      await this.publish(moved, channelId);
    });
  }

  private async applyStateUpdate(session: GatewaySession, data: VoiceStateUpdateData): Promise<void> {
    if (session.ended) return;
    const current = this.states.ofUser(session.userId);
    if (data.channel_id === null) {
      if (current && current.guildId === data.guild_id) await this.end(current);
      return;
    }
    const refuse = (name: ErrorName) => this.refuse(session, { op: 4, guild_id: data.guild_id, channel_id: data.channel_id }, name);
    const result = await voiceChannelAccess(this.ctx.store, data.guild_id, data.channel_id, session.userId);
    if (!result.ok) return refuse(result.error);
    const { access } = result;
    if (current?.channelId !== access.channel.id) {
      const full = this.capacityProblem(access, session.userId);
      if (full) return refuse(full);
    }
    // One voice channel per user: a state elsewhere (another guild) ends first.
    if (current && current.guildId !== data.guild_id) await this.end(current);
    const state: StoredVoiceState = {
      guildId: data.guild_id,
      channelId: access.channel.id,
      userId: session.userId,
      sessionId: session.id,
      selfMute: data.self_mute,
      selfDeaf: data.self_deaf,
      selfVideo: data.self_video ?? false,
      mute: access.member.mute,
      deaf: access.member.deaf,
      suppress: !access.canSpeak,
    };
    // The session that held the user's voice before (if another) sees the new session_id and leaves.
    if (current && current.sessionId !== session.id) this.signals.forget(current.sessionId);
    // A move or a new mute starts silent: clients drop the ring on VOICE_STATE_UPDATE too.
    this.forgetSpeaking(session.id);
    if (current) this.forgetSpeaking(current.sessionId);
    this.states.set(state);
    await this.publish(state, access.channel.id);
  }

  /** Channel `user_limit` (MOVE_MEMBERS may exceed it) and the server-wide mesh cap. */
  private capacityProblem(access: VoiceChannelAccess, userId: Snowflake): ErrorName | undefined {
    const others = this.states.inChannel(access.channel.id).filter((state) => state.userId !== userId).length;
    const userLimit = access.channel.userLimit ?? 0;
    if (userLimit > 0 && others >= userLimit && !access.canBypassUserLimit) return 'VOICE_CHANNEL_FULL';
    if (others >= this.ctx.config.voiceMeshLimit) return 'VOICE_MESH_FULL';
    return undefined;
  }

  /** Removes a state and tells the guild (and `extra` users) that the user left voice. */
  private async end(state: StoredVoiceState, extra: ExtraAudience = []): Promise<void> {
    const current = this.states.ofUser(state.userId);
    if (!current || current.sessionId !== state.sessionId || current.guildId !== state.guildId) return;
    this.states.remove(state.userId);
    this.signals.forget(state.sessionId);
    this.forgetSpeaking(state.sessionId);
    await this.publish(current, null, extra);
  }

  /** VOICE_STATE_UPDATE to the guild, with the member as Discord sends it. */
  private async publish(state: StoredVoiceState, channelId: Snowflake | null, extra: ExtraAudience = []): Promise<void> {
    const d: VoiceState = { ...toWireVoiceState(state), channel_id: channelId };
    const [member, user] = await Promise.all([this.ctx.store.getMember(state.guildId, state.userId), this.ctx.store.getUser(state.userId)]);
    if (member && user) d.member = toMember(member, user);
    this.ctx.events.publish({ t: 'VOICE_STATE_UPDATE', d, audience: { kind: 'guild', guildId: state.guildId } });
    if (extra.length > 0) this.ctx.events.publish({ t: 'VOICE_STATE_UPDATE', d, audience: { kind: 'users', userIds: extra } });
  }

  private refuse(session: GatewaySession, where: Pick<VoiceErrorData, 'op' | 'guild_id' | 'channel_id' | 'session_id'>, name: ErrorName, retryAfter?: number): void {
    const entry = Errors[name];
    const d: VoiceErrorData = { ...where, code: entry.code, message: entry.message };
    if (retryAfter !== undefined) d.retry_after = retryAfter;
    this.sessions.sendTo(session.id, 'HEARTH_VOICE_ERROR', d);
  }

  /** The session is gone for good (its resume window passed): its voice state ends. */
  private onSessionEnd(session: GatewaySession): void {
    this.signals.forget(session.id);
    this.forgetSpeaking(session.id);
    const state = this.states.ofSession(session.id);
    if (state) this.enqueue(() => this.end(state));
  }

  /**
   * The states whose session this node holds. With several nodes every node sees every event and
   * every state; each acts only on its own sessions' states, so each change is announced once.
   */
  private held(states: StoredVoiceState[]): StoredVoiceState[] {
    return states.filter((state) => this.sessions.get(state.sessionId) !== undefined);
  }

  private heldStateOf(userId: Snowflake): StoredVoiceState | undefined {
    const state = this.states.ofUser(userId);
    return state && this.sessions.get(state.sessionId) ? state : undefined;
  }

  private onEvent(event: HearthEvent): void {
    switch (event.t) {
      case 'GUILD_MEMBER_REMOVE': {
        const state = this.heldStateOf(event.d.user.id);
        // Kicked or left: the guild is told, and so is the user (who no longer receives guild events).
        if (state?.guildId === event.d.guild_id) this.enqueue(() => this.end(state, [state.userId]));
        return;
      }
      case 'GUILD_DELETE':
        if (event.audience.kind === 'guild') this.enqueue(() => this.endAll(this.held(this.states.inGuild(event.d.id)), true));
        return;
      case 'CHANNEL_DELETE':
        this.enqueue(() => this.endAll(this.held(this.states.inChannel(event.d.id)), false));
        return;
      case 'GUILD_MEMBER_UPDATE': {
        const state = this.heldStateOf(event.d.user.id);
        if (state?.guildId === event.d.guild_id) this.enqueue(() => this.recheck([state]));
        return;
      }
      case 'CHANNEL_UPDATE':
        this.enqueue(() => this.recheck(this.held(this.states.inChannel(event.d.id))));
        return;
      case 'GUILD_ROLE_UPDATE':
      case 'GUILD_ROLE_DELETE':
        this.enqueue(() => this.recheck(this.held(this.states.inGuild(event.d.guild_id))));
        return;
      default:
        return;
    }
  }

  private async endAll(states: StoredVoiceState[], tellUsers: boolean): Promise<void> {
    for (const state of states) await this.end(state, tellUsers ? [state.userId] : []);
  }

  /**
   * Re-evaluates states after permissions or the member changed: losing CONNECT (or the
   * channel) disconnects; SPEAK decides `suppress`; the member's `mute`/`deaf` (server
   * mute/deafen) are copied. A state that changed is announced.
   */
  private async recheck(states: StoredVoiceState[]): Promise<void> {
    for (const before of states) {
      const result = await voiceChannelAccess(this.ctx.store, before.guildId, before.channelId, before.userId);
      const current = this.states.ofUser(before.userId);
      if (!current || current.sessionId !== before.sessionId || current.channelId !== before.channelId) continue;
      if (!result.ok) {
        await this.end(current, result.error === 'UNKNOWN_GUILD' ? [current.userId] : []);
        continue;
      }
      const { member, canSpeak } = result.access;
      const next = { ...current, mute: member.mute, deaf: member.deaf, suppress: !canSpeak };
      if (next.mute === current.mute && next.deaf === current.deaf && next.suppress === current.suppress) continue;
      this.states.set(next);
      await this.publish(next, next.channelId);
    }
  }

  private forgetSpeaking(sessionId: string): void {
    this.speaking.delete(sessionId);
    this.speakingLimiter.forget(sessionId);
  }

  private enqueue(job: () => Promise<void>): void {
    this.queue.run(job).catch((error: unknown) => this.ctx.logger.error({ err: error }, 'voice state change failed'));
  }
}
