import type { ClientSettings } from '../../../shared/ipc/settings.js';
import { useBridge, useClientState } from '../../app/hooks.js';

const THEMES: { id: ClientSettings['theme']; label: string }[] = [
  { id: 'dark', label: 'Dark' },
  { id: 'light', label: 'Light' },
  { id: 'system', label: 'Sync with computer' },
];

/** Theme and message density. */
export function AppearanceTab() {
  const bridge = useBridge();
  const settings = useClientState((s) => s.settings);
  return (
    <section aria-labelledby="appearance-title">
      <h3 id="appearance-title" className="settings-title">Appearance</h3>
      <fieldset className="field">
        <legend className="field-label">Theme</legend>
        {THEMES.map((theme) => (
          <label key={theme.id} className="radio-card">
            <input type="radio" name="theme" checked={settings.theme === theme.id} onChange={() => void bridge.updateSettings({ theme: theme.id })} />
            <span>{theme.label}</span>
          </label>
        ))}
      </fieldset>
      <label className="switch-row">
        <input type="checkbox" checked={settings.compactMode} onChange={(event) => void bridge.updateSettings({ compactMode: event.target.checked })} />
        <span>Compact message display<span className="hint">Fit more messages on screen: no avatars, one line per message.</span></span>
      </label>
    </section>
  );
}
