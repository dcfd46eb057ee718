import { useState } from 'react';
import type { VoiceState } from '../../../shared/protocol/entities.js';
import type { Snowflake } from '../../../shared/snowflake.js';
import { avatarUrl, displayName } from '../../app/format.js';
import { useClientState } from '../../app/hooks.js';
import { Avatar } from '../../components/Avatar.js';
import { Icon } from '../../components/Icon.js';
import { useSpeaking } from './voice-context.js';
import { VoiceMemberMenu } from './VoiceMemberMenu.js';

export interface Props {
  guildId: Snowflake;
  state: VoiceState;
}

/**
 * One person in a voice channel: a ring while they are heard speaking, mute and deafen icons
 * (their own or the server's), and, for others, a menu (right click or Shift+F10) with their
 * volume for this client and local mute.
 */
export function VoiceMemberRow({ guildId, state }: Props) {
  const user = useClientState((s) => s.users[state.user_id]);
  const member = useClientState((s) => s.members[guildId]?.[state.user_id]);
  const serverUrl = useClientState((s) => s.serverUrl);
  const selfId = useClientState((s) => s.user?.id);
  const locallyMuted = useClientState((s) => s.settings.voice.mutedUsers.includes(state.user_id));
  const speaking = useSpeaking(state.user_id);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const name = displayName(user, member);
  const muted = state.self_mute || state.mute;
  const deafened = state.self_deaf || state.deaf;
  const isSelf = state.user_id === selfId;
  const describe = [speaking ? 'speaking' : null, muted ? (state.mute ? 'server muted' : 'muted') : null, deafened ? (state.deaf ? 'server deafened' : 'deafened') : null, locallyMuted ? 'muted for you' : null]
    .filter(Boolean)
    .join(', ');
  const openMenu = (x: number, y: number) => {
    if (!isSelf) setMenu({ x, y });
  };
  return (
    <li
      className={speaking ? 'voice-member speaking' : 'voice-member'}
      data-user-id={state.user_id}
      data-speaking={speaking ? 'true' : 'false'}
      aria-label={describe ? `${name} (${describe})` : name}
      tabIndex={isSelf ? undefined : 0}
      onContextMenu={(event) => {
        if (isSelf) return;
        event.preventDefault();
        openMenu(event.clientX, event.clientY);
      }}
      onKeyDown={(event) => {
        if ((event.key === 'F10' && event.shiftKey) || event.key === 'ContextMenu') {
          event.preventDefault();
          const rect = event.currentTarget.getBoundingClientRect();
          openMenu(rect.left + 24, rect.bottom);
        }
      }}
    >
      <span className="voice-avatar">
        <Avatar src={avatarUrl(serverUrl, user)} name={name} id={state.user_id} size={24} />
      </span>
      <span className="voice-member-name">{name}</span>
      {locallyMuted && <span className="voice-member-flag local" title="Muted for you"><Icon name="speaker" size={14} /></span>}
      {muted && <span className={state.mute ? 'voice-member-flag server' : 'voice-member-flag'} title={state.mute ? 'Server muted' : 'Muted'}><Icon name="mic-off" size={14} /></span>}
      {deafened && <span className={state.deaf ? 'voice-member-flag server' : 'voice-member-flag'} title={state.deaf ? 'Server deafened' : 'Deafened'}><Icon name="headphones-off" size={14} /></span>}
      {menu && <VoiceMemberMenu userId={state.user_id} name={name} x={menu.x} y={menu.y} onClose={() => setMenu(null)} />}
    </li>
  );
}
