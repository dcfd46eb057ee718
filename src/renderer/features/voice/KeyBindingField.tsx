import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/ipc/bridge.js';
import type { PushToTalkBinding } from '../../../shared/ipc/settings.js';
import { keyLabel, mouseButtonLabel, uiohookKeyFromDomCode } from '../../../shared/keycodes.js';
import { useBridge } from '../../app/hooks.js';
import { uiohookButtonFromDom } from './focused-push-to-talk.js';

export interface Props {
  binding: PushToTalkBinding | null;
  onChange(binding: PushToTalkBinding): void;
}

/** The next key (or mouse button) pressed in this page; Escape cancels (resolves null). */
function captureInPage(): Promise<PushToTalkBinding | null> {
  return new Promise((resolve) => {
    const finish = (binding: PushToTalkBinding | null) => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('mousedown', onMouse, true);
      resolve(binding);
    };
    const onKey = (event: KeyboardEvent) => {
      event.preventDefault();
      event.stopPropagation();
      if (event.code === 'Escape') return finish(null);
      const code = uiohookKeyFromDomCode(event.code);
      if (code !== null) finish({ kind: 'key', code, label: keyLabel(code) });
    };
    const onMouse = (event: MouseEvent) => {
      // Left and right buttons are how the user uses the page; only the others can be bound.
      const code = uiohookButtonFromDom(event.button);
      if (code === null || code <= 2) return;
      event.preventDefault();
      finish({ kind: 'mouse', code, label: mouseButtonLabel(code) });
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('mousedown', onMouse, true);
  });
}

/**
 * The push-to-talk binding and a button to record a new one: in the desktop app the main
 * process's global hook captures it (any key or mouse button, even outside the window); in the
 * web client the next key pressed in the page.
 */
export function KeyBindingField({ binding, onChange }: Props) {
  const bridge = useBridge();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [recording, setRecording] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void bridge.getAppInfo().then((result) => live && result.ok && setInfo(result.value));
    return () => {
      live = false;
    };
  }, [bridge]);

  const record = async () => {
    setRecording(true);
    setError(null);
    try {
      if (info?.platform === 'desktop' && info.globalPushToTalk.available) {
        const result = await bridge.capturePushToTalkBinding();
        if (result.ok) onChange(result.value);
        else setError(result.error.message);
      } else {
        const captured = await captureInPage();
        if (captured) onChange(captured);
      }
    } finally {
      setRecording(false);
    }
  };

  const scope = info?.platform === 'desktop'
    ? info.globalPushToTalk.available ? 'Works in any application.' : `Works while Hearth is focused: ${info.globalPushToTalk.reason}`
    : 'Works while this tab is focused.';
  return (
    <div className="field">
      <span className="field-label" id="ptt-binding-label">Shortcut</span>
      <div className="key-binding">
        <kbd className="key-binding-current" aria-labelledby="ptt-binding-label">{binding ? binding.label : 'Not set'}</kbd>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void record()} disabled={recording}>
          {recording ? 'Press a key… (Esc cancels)' : binding ? 'Change shortcut' : 'Record shortcut'}
        </button>
      </div>
      <span className="hint">{scope}</span>
      {error && <span className="field-error" role="alert">{error}</span>}
    </div>
  );
}
