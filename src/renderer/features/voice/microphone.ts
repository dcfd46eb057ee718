/**
 * Opening the microphone with the user's audio-processing settings: Chromium's echo
 * cancellation, noise suppression and automatic gain control, each switchable, and the chosen
 * input device (falling back to the default one when it is gone).
 */
import type { ClientSettings } from '../../../shared/ipc/settings.js';

type VoiceSettings = ClientSettings['voice'];

/** getUserMedia audio constraints from the settings (mono, 48 kHz as Opus wants). */
export function microphoneConstraints(settings: Pick<VoiceSettings, 'inputDeviceId' | 'echoCancellation' | 'noiseSuppression' | 'automaticGainControl'>): MediaTrackConstraints {
  const constraints: MediaTrackConstraints = {
    echoCancellation: settings.echoCancellation,
    noiseSuppression: settings.noiseSuppression,
    autoGainControl: settings.automaticGainControl,
    channelCount: 1,
    sampleRate: 48_000,
  };
  if (settings.inputDeviceId) constraints.deviceId = { exact: settings.inputDeviceId };
  return constraints;
}

/**
 * Opens the microphone. A saved device that is no longer there (unplugged headset) falls back
 * to the default input rather than failing the join.
 */
export async function openMicrophone(media: MediaDevices, settings: VoiceSettings): Promise<MediaStream> {
  try {
    return await media.getUserMedia({ audio: microphoneConstraints(settings), video: false });
  } catch (error) {
    const missingDevice = error instanceof DOMException && (error.name === 'OverconstrainedError' || error.name === 'NotFoundError');
    if (!settings.inputDeviceId || !missingDevice) throw error;
    return media.getUserMedia({ audio: microphoneConstraints({ ...settings, inputDeviceId: null }), video: false });
  }
}

/** Applies changed processing switches to an open track without reopening it, where the browser can. */
export async function applyProcessingSettings(track: MediaStreamTrack, settings: VoiceSettings): Promise<void> {
  const { deviceId: _deviceId, ...processing } = microphoneConstraints(settings);
  await track.applyConstraints(processing);
}
