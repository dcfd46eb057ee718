import type { Snowflake } from '../../../shared/snowflake.js';
import type { VoiceState } from '../../../shared/protocol/entities.js';
import { useClientState } from '../../app/hooks.js';
import { avatarUrl, displayName } from '../../app/format.js';
import { Avatar } from '../../components/Avatar.js';

export interface Props {
  guildId: Snowflake;
  voiceStates: VoiceState[];
}

/** The members currently in a voice channel, listed under it (visible without joining). */
export function VoiceChannelMembers({ guildId, voiceStates }: Props) {
  const users = useClientState((s) => s.users);
  const members = useClientState((s) => s.members[guildId]);
  const serverUrl = useClientState((s) => s.serverUrl);
  return (
    <ul className="voice-members" aria-label="In this voice channel">
      {voiceStates.map((state) => {
        const user = users[state.user_id];
        const name = displayName(user, members?.[state.user_id]);
        const flags = [state.self_mute || state.mute ? 'muted' : null, state.self_deaf || state.deaf ? 'deafened' : null].filter(Boolean);
        return (
          <li key={state.user_id} className="voice-member" data-user-id={state.user_id}>
            <Avatar src={avatarUrl(serverUrl, user)} name={name} id={state.user_id} size={24} />
            <span className="voice-member-name">{name}</span>
            {flags.length > 0 && <span className="voice-member-flags">{flags.join(', ')}</span>}
          </li>
        );
      })}
    </ul>
  );
}
