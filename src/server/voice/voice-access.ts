/**
 * What a member may do in a voice channel, from the same permission code REST uses: VIEW_CHANNEL
 * and CONNECT to be there, SPEAK to be heard (without it the state is `suppress: true`),
 * MOVE_MEMBERS to enter a channel whose `user_limit` is reached (as Discord).
 */
import type { ErrorName } from '../../shared/errors.js';
import { Permission, hasPermission } from '../../shared/permissions.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { Store, ChannelRecord, MemberRecord } from '../store/store.js';
import { channelPermissionsOf, loadGuildPermissionContext } from '../domain/access.js';

/** A member's standing in a voice channel. */
export interface VoiceChannelAccess {
  channel: ChannelRecord;
  member: MemberRecord;
  /** SPEAK: others may hear them. */
  canSpeak: boolean;
  /** MOVE_MEMBERS: may enter a channel at its user limit. */
  canBypassUserLimit: boolean;
}

/** The member's access to the voice channel, or the catalogue error that refuses it. */
export type VoiceAccessResult = { ok: true; access: VoiceChannelAccess } | { ok: false; error: ErrorName };

/**
 * Loads what joining (or staying in) a voice channel needs and checks it: 10004 when the user
 * is not a member, 10003 when the channel is not in the guild, 50024 when it is not a voice
 * channel, 50013 without VIEW_CHANNEL and CONNECT.
 */
export async function voiceChannelAccess(store: Store, guildId: Snowflake, channelId: Snowflake, userId: Snowflake): Promise<VoiceAccessResult> {
  const [context, member, channel] = await Promise.all([
    loadGuildPermissionContext(store, guildId),
    store.getMember(guildId, userId),
    store.getChannel(channelId),
  ]);
  if (!context || !member) return { ok: false, error: 'UNKNOWN_GUILD' };
  if (!channel || channel.guildId !== guildId) return { ok: false, error: 'UNKNOWN_CHANNEL' };
  if (channel.type !== 2) return { ok: false, error: 'INVALID_CHANNEL_TYPE' };
  const permissions = channelPermissionsOf(context, member, channel);
  if (!hasPermission(permissions, Permission.VIEW_CHANNEL | Permission.CONNECT)) return { ok: false, error: 'MISSING_PERMISSIONS' };
  return {
    ok: true,
    access: {
      channel,
      member,
      canSpeak: hasPermission(permissions, Permission.SPEAK),
      canBypassUserLimit: hasPermission(permissions, Permission.MOVE_MEMBERS),
    },
  };
}
