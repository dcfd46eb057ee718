import type { ChannelListItem } from '../../../client/state/selectors.js';
import { ChannelType } from '../../../shared/protocol/entities.js';
import { useServices } from '../../app/hooks.js';
import { Icon } from '../../components/Icon.js';
import { activateVoiceChannel } from '../voice/voice-actions.js';
import { VoiceChannelMembers } from './VoiceChannelMembers.js';

export interface Props {
  item: ChannelListItem;
  selected: boolean;
}

/** A channel row: bold when unread, a mention badge, voice members listed below voice channels. */
export function ChannelItem({ item, selected }: Props) {
  const services = useServices();
  const { channel, mentionCount: mentions } = item;
  const isVoice = channel.type === ChannelType.GUILD_VOICE;
  const unread = item.unread && !selected;
  const label = `${channel.name} (${isVoice ? 'voice' : 'text'} channel)${mentions ? `, ${mentions} mention${mentions === 1 ? '' : 's'}` : ''}${unread ? ', unread' : ''}`;

  const open = () => {
    if (isVoice) void activateVoiceChannel(services, channel);
    else services.ui.selectChannel(channel.guild_id, channel.id);
  };

  return (
    <li className={`channel-item${selected ? ' selected' : ''}${unread ? ' unread' : ''}`}>
      {unread && <span className="channel-unread-pill" aria-hidden="true" />}
      <button type="button" className="channel-button" aria-label={label} aria-current={selected ? 'page' : undefined} onClick={open}>
        <Icon name={isVoice ? 'speaker' : 'hash'} size={20} className="channel-icon" />
        <span className="channel-name">{channel.name}</span>
        {mentions > 0 && <span className="mention-badge" aria-hidden="true">{mentions > 99 ? '99+' : mentions}</span>}
      </button>
      {isVoice && item.voiceStates.length > 0 && <VoiceChannelMembers guildId={channel.guild_id} voiceStates={item.voiceStates} />}
    </li>
  );
}
