import { useState } from 'react';
import type { Snowflake } from '../../../../shared/snowflake.js';
import { ChannelType, type Channel } from '../../../../shared/protocol/entities.js';
import { Icon } from '../../../components/Icon.js';
import { normalizeChannelName } from '../CreateChannelModal.js';

export interface Props {
  channel: Channel;
  categories: Channel[];
  onRename(name: string): Promise<void>;
  onMove(step: -1 | 1): void;
  onParent(parentId: Snowflake | null): void;
  onDelete(): void;
}

/** One channel in the settings list: rename inline, move up/down, change category, delete. */
export function ChannelRow({ channel, categories, onRename, onMove, onParent, onDelete }: Props) {
  const [name, setName] = useState(channel.name);
  const isCategory = channel.type === ChannelType.GUILD_CATEGORY;
  const kind = isCategory ? 'category' : channel.type === ChannelType.GUILD_VOICE ? 'voice channel' : 'text channel';
  return (
    <li className={isCategory ? 'settings-channel category' : 'settings-channel'}>
      <Icon name={isCategory ? 'chevron' : channel.type === ChannelType.GUILD_VOICE ? 'speaker' : 'hash'} size={16} />
      <input
        className="input input-inline"
        aria-label={`Name of ${kind} ${channel.name}`}
        value={name}
        maxLength={100}
        onChange={(event) => setName(normalizeChannelName(event.target.value, channel.type))}
        onBlur={() => name.trim() && name !== channel.name && void onRename(name.trim())}
        onKeyDown={(event) => {
          if (event.key === 'Enter') event.currentTarget.blur();
          if (event.key === 'Escape') setName(channel.name);
        }}
      />
      {!isCategory && (
        <select
          className="input input-inline"
          aria-label={`Category of ${channel.name}`}
          value={channel.parent_id ?? ''}
          onChange={(event) => onParent(event.target.value || null)}
        >
          <option value="">No category</option>
          {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
      )}
      <button type="button" className="icon-btn" aria-label={`Move ${channel.name} up`} onClick={() => onMove(-1)}><Icon name="arrowUp" size={16} /></button>
      <button type="button" className="icon-btn" aria-label={`Move ${channel.name} down`} onClick={() => onMove(1)}><Icon name="arrowDown" size={16} /></button>
      <button type="button" className="icon-btn danger" aria-label={`Delete ${channel.name}`} onClick={onDelete}><Icon name="trash" size={16} /></button>
    </li>
  );
}
