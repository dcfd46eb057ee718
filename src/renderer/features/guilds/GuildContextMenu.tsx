import type { Snowflake } from '../../../shared/snowflake.js';
import { ContextMenu } from '../../components/ContextMenu.js';
import { useGuildMenu } from './useGuildMenu.js';

export interface Props {
  guildId: Snowflake;
  x: number;
  y: number;
  onClose(): void;
}

/** The guild's context menu (mounted only while open, so it reads the state only then). */
export function GuildContextMenu({ guildId, x, y, onClose }: Props) {
  const items = useGuildMenu(guildId);
  return <ContextMenu label="Server options" x={x} y={y} items={items} onClose={onClose} />;
}
