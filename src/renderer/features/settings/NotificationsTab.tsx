import { useBridge, useClientState } from '../../app/hooks.js';

/** Desktop notifications for mentions and replies, and sounds. */
export function NotificationsTab() {
  const bridge = useBridge();
  const notifications = useClientState((s) => s.settings.notifications);
  return (
    <section aria-labelledby="notifications-title">
      <h3 id="notifications-title" className="settings-title">Notifications</h3>
      <label className="switch-row">
        <input
          type="checkbox"
          checked={notifications.mentions}
          onChange={(event) => void bridge.updateSettings({ notifications: { mentions: event.target.checked } })}
        />
        <span>Mention and reply notifications<span className="hint">Shown while Hearth is not focused, never in Do Not Disturb.</span></span>
      </label>
      <label className="switch-row">
        <input
          type="checkbox"
          checked={notifications.sounds}
          onChange={(event) => void bridge.updateSettings({ notifications: { sounds: event.target.checked } })}
        />
        <span>Notification sounds</span>
      </label>
    </section>
  );
}
