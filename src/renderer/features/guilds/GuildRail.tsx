import { useState } from 'react';
import { useServices, useClientState, useUi } from '../../app/hooks.js';
import { Icon } from '../../components/Icon.js';
import { Tooltip } from '../../components/Tooltip.js';
import { GuildRailItem } from './GuildRailItem.js';
import { GuildContextMenu } from './GuildContextMenu.js';

/** The leftmost column: one icon per guild, then create and join buttons. */
export function GuildRail() {
  const { ui } = useServices();
  const order = useClientState((s) => s.guildOrder);
  const selected = useUi((s) => s.selectedGuildId);
  const [menu, setMenu] = useState<{ guildId: string; x: number; y: number } | null>(null);

  return (
    <nav className="guild-rail" aria-label="Servers">
      <ul className="guild-list">
        {order.map((guildId) => (
          <GuildRailItem
            key={guildId}
            guildId={guildId}
            selected={guildId === selected}
            onOpenMenu={(x, y) => setMenu({ guildId, x, y })}
          />
        ))}
        <li className="guild-separator" aria-hidden="true" />
        <li className="guild-item">
          <Tooltip label="Add a Server" side="right">
            <button type="button" className="guild-button guild-action" aria-label="Add a Server" onClick={() => ui.openModal({ type: 'create-guild' })}>
              <Icon name="plus" />
            </button>
          </Tooltip>
        </li>
        <li className="guild-item">
          <Tooltip label="Join a Server" side="right">
            <button type="button" className="guild-button guild-action" aria-label="Join a Server" onClick={() => ui.openModal({ type: 'join-guild' })}>
              <Icon name="compass" />
            </button>
          </Tooltip>
        </li>
      </ul>
      {menu && <GuildContextMenu guildId={menu.guildId} x={menu.x} y={menu.y} onClose={() => setMenu(null)} />}
    </nav>
  );
}
