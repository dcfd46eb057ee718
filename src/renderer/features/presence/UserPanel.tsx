import { useState } from 'react';
import { useClientState, useServices } from '../../app/hooks.js';
import { avatarUrl, displayName } from '../../app/format.js';
import { Avatar } from '../../components/Avatar.js';
import { Icon } from '../../components/Icon.js';
import { STATUS_LABELS } from '../../components/PresenceDot.js';
import { StatusPicker } from './StatusPicker.js';
import { VoiceUserControls } from '../voice/VoiceUserControls.js';

/** Bottom of the channel sidebar: who I am, my status (click to change), user settings. */
export function UserPanel() {
  const { ui } = useServices();
  const user = useClientState((s) => s.user);
  const status = useClientState((s) => s.selfStatus);
  const serverUrl = useClientState((s) => s.serverUrl);
  const [picking, setPicking] = useState(false);
  if (!user) return null;
  const name = displayName(user);
  return (
    <section className="user-panel" aria-label="User area">
      <button
        type="button"
        className="user-panel-identity"
        aria-label={`Set status (current: ${STATUS_LABELS[status]})`}
        aria-haspopup="menu"
        aria-expanded={picking}
        onClick={() => setPicking(!picking)}
      >
        <Avatar src={avatarUrl(serverUrl, user)} name={name} id={user.id} size={32} status={status} />
        <span className="user-panel-names">
          <span className="user-panel-name">{name}</span>
          <span className="user-panel-status">{STATUS_LABELS[status]}</span>
        </span>
      </button>
      <VoiceUserControls />
      <button type="button" className="icon-btn" aria-label="User Settings" onClick={() => ui.openModal({ type: 'user-settings' })}>
        <Icon name="gear" size={20} />
      </button>
      {picking && <StatusPicker current={status} onClose={() => setPicking(false)} />}
    </section>
  );
}
