import type { Snowflake } from '../../../shared/snowflake.js';
import type { VoiceState } from '../../../shared/protocol/entities.js';
import { VoiceMemberRow } from '../voice/VoiceMemberRow.js';

export interface Props {
  guildId: Snowflake;
  voiceStates: VoiceState[];
}

/**
 * The members currently in a voice channel, listed under it (visible without joining), with
 * speaking rings and mute/deafen icons (see VoiceMemberRow).
 */
export function VoiceChannelMembers({ guildId, voiceStates }: Props) {
  return (
    <ul className="voice-members" aria-label="In this voice channel">
      {voiceStates.map((state) => <VoiceMemberRow key={state.user_id} guildId={guildId} state={state} />)}
    </ul>
  );
}
