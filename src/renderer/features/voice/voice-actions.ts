import type { Channel } from '../../../shared/protocol/entities.js';
import type { AppServices } from '../../app/hooks.js';
import { voiceSlots } from './voice-slots.js';

/**
 * A click on a voice channel: join it (op 4 through the bridge, so everyone sees who is in
 * voice), or do nothing when already there. The voice feature's `beforeJoin` may veto.
 */
export async function activateVoiceChannel(services: AppServices, channel: Channel): Promise<void> {
  const state = services.store.getState();
  if (state?.selfVoice.channelId === channel.id) return;
  if (voiceSlots.beforeJoin && !(await voiceSlots.beforeJoin(channel))) return;
  await services.bridge.joinVoice(channel.guild_id, channel.id);
}
