import { useMemo, useState } from 'react';
import type { Snowflake } from '../../../../shared/snowflake.js';
import { compareSnowflakes } from '../../../../shared/snowflake.js';
import { ChannelType, type Channel } from '../../../../shared/protocol/entities.js';
import type { BridgeResult } from '../../../../shared/ipc/bridge.js';
import { useClientState, useServices } from '../../../app/hooks.js';
import { describeError, unwrap } from '../../../app/errors.js';
import { Icon } from '../../../components/Icon.js';
import { ConfirmDialog } from '../../../components/ConfirmDialog.js';
import { ChannelRow } from './ChannelRow.js';

export interface Props {
  guildId: Snowflake;
}

function byPosition(a: Channel, b: Channel): number {
  return a.position - b.position || compareSnowflakes(a.id, b.id);
}

/**
 * Siblings share a parent and a kind (categories among categories, channels within a category);
 * moving one swaps it with its neighbour and renumbers the siblings.
 */
export function reorderedPositions(siblings: readonly Channel[], id: Snowflake, step: -1 | 1): { id: Snowflake; position: number }[] | null {
  const ordered = [...siblings].sort(byPosition);
  const index = ordered.findIndex((c) => c.id === id);
  const target = index + step;
  if (index < 0 || target < 0 || target >= ordered.length) return null;
  const moved = ordered[index];
  const other = ordered[target];
  if (!moved || !other) return null;
  ordered[index] = other;
  ordered[target] = moved;
  return ordered.map((c, position) => ({ id: c.id, position }));
}

/** Create, rename, move (order and category) and delete channels and categories. */
export function ChannelsTab({ guildId }: Props) {
  const { bridge, ui } = useServices();
  const channels = useClientState((s) => s.channels);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Channel | null>(null);
  const all = useMemo(() => Object.values(channels).filter((c) => c.guild_id === guildId), [channels, guildId]);
  const categories = all.filter((c) => c.type === ChannelType.GUILD_CATEGORY).sort(byPosition);
  const childrenOf = (parent: Snowflake | null) =>
    all.filter((c) => c.type !== ChannelType.GUILD_CATEGORY && (c.parent_id ?? null) === parent).sort(byPosition);

  const run = async (action: Promise<BridgeResult<unknown>>) => {
    const result = await action;
    setError(result.ok ? null : describeError(result.error));
  };
  const move = (channel: Channel, step: -1 | 1) => {
    const siblings = channel.type === ChannelType.GUILD_CATEGORY ? categories : childrenOf(channel.parent_id ?? null);
    const positions = reorderedPositions(siblings, channel.id, step);
    if (positions) void run(bridge.reorderChannels(guildId, positions));
  };
  const row = (channel: Channel) => (
    <ChannelRow
      key={channel.id}
      channel={channel}
      categories={categories}
      onRename={(name) => run(bridge.updateChannel(channel.id, { name }))}
      onMove={(step) => move(channel, step)}
      onParent={(parentId) => void run(bridge.reorderChannels(guildId, [{ id: channel.id, position: childrenOf(parentId).length, parent_id: parentId }]))}
      onDelete={() => setDeleting(channel)}
    />
  );

  return (
    <section aria-labelledby="channels-title">
      <h3 id="channels-title" className="settings-title">Channels</h3>
      {error && <div className="error-banner" role="alert">{error}</div>}
      <div className="settings-actions">
        <button type="button" className="btn btn-small" onClick={() => ui.openModal({ type: 'create-channel', guildId, parentId: null, channelType: 0 })}>
          <Icon name="plus" size={16} /> Create Channel
        </button>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => ui.openModal({ type: 'create-channel', guildId, parentId: null, channelType: 4 })}>
          <Icon name="plus" size={16} /> Create Category
        </button>
      </div>
      <ul className="settings-channel-list">
        {childrenOf(null).map(row)}
        {categories.map((category) => (
          <li key={category.id} className="settings-category">
            <ul>
              {row(category)}
              {childrenOf(category.id).map(row)}
            </ul>
          </li>
        ))}
      </ul>
      {deleting && (
        <ConfirmDialog
          title={deleting.type === ChannelType.GUILD_CATEGORY ? 'Delete Category' : 'Delete Channel'}
          confirmLabel="Delete"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={() => unwrap(bridge.deleteChannel(deleting.id))}
        >
          <p>Are you sure you want to delete <strong>{deleting.name}</strong>? This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
