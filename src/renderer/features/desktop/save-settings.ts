import type { ClientSettingsPatch } from '../../../shared/ipc/settings.js';
import { describeError, fieldErrors } from '../../app/errors.js';
import { useBridge } from '../../app/hooks.js';

/** Saves a settings patch; resolves with the bridge's message for the form (e.g. a field error), or null. */
export function useSaveSettings(): (patch: ClientSettingsPatch) => Promise<string | null> {
  const bridge = useBridge();
  return async (patch) => {
    const result = await bridge.updateSettings(patch);
    return result.ok ? null : (Object.values(fieldErrors(result.error))[0] ?? describeError(result.error));
  };
}
