/**
 * What the desktop shell offers the client core (`DesktopHost`): app info for settings (version,
 * whether global push-to-talk works, update state), restarting into a downloaded update,
 * capturing a push-to-talk binding, and opening links in the system browser.
 */
import type { DesktopHost, DesktopShellInfo } from '../shared/ipc/bridge.js';
import type { PushToTalkInputs } from './ptt-input.js';
import type { UpdateController } from './updater.js';
import { openExternalSafely } from './window.js';

export function desktopHost(version: string, pushToTalk: PushToTalkInputs, updates: UpdateController, shell: () => DesktopShellInfo): DesktopHost {
  return {
    appInfo: () => ({ version, globalPushToTalk: pushToTalk.status, update: updates.state, updateSource: updates.sourceDescription, desktopShell: shell() }),
    installUpdate: async () => updates.restartToInstall(),
    capturePushToTalkBinding: () => pushToTalk.captureBinding(),
    openExternal: async (url) => {
      if (!openExternalSafely(url)) throw new Error('Only http and https links open outside Hearth.');
    },
  };
}
