import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_SETTINGS, type ClientSettings } from '../../../shared/ipc/settings.js';
import { applyProcessingSettings, microphoneConstraints, openMicrophone } from './microphone.js';

const DEFAULTS = DEFAULT_CLIENT_SETTINGS.voice;

function voice(patch: Partial<ClientSettings['voice']>): ClientSettings['voice'] {
  return { ...DEFAULTS, ...patch };
}

/** A MediaDevices that records each getUserMedia call and fails for the listed device IDs. */
function fakeMedia(failFor: Record<string, string> = {}) {
  const calls: MediaStreamConstraints[] = [];
  const stream = { id: 'mic' } as unknown as MediaStream;
  const media = {
    getUserMedia: (constraints: MediaStreamConstraints) => {
      calls.push(constraints);
      const audio = constraints.audio as MediaTrackConstraints;
      const device = (audio.deviceId as ConstrainDOMStringParameters | undefined)?.exact as string | undefined;
      const failure = device === undefined ? undefined : failFor[device];
      return failure ? Promise.reject(new DOMException('no such device', failure)) : Promise.resolve(stream);
    },
  } as unknown as MediaDevices;
  return { media, calls, stream };
}

describe('microphoneConstraints', () => {
  it('asks for echo cancellation, noise suppression and AGC exactly as set, mono at 48 kHz', () => {
    expect(microphoneConstraints(voice({ echoCancellation: true, noiseSuppression: false, automaticGainControl: true }))).toEqual({
      echoCancellation: true, noiseSuppression: false, autoGainControl: true, channelCount: 1, sampleRate: 48_000,
    });
    expect(microphoneConstraints(voice({ echoCancellation: false, noiseSuppression: true, automaticGainControl: false }))).toMatchObject({
      echoCancellation: false, noiseSuppression: true, autoGainControl: false,
    });
  });

  it('requires the chosen input device, and none when the default is chosen', () => {
    expect(microphoneConstraints(voice({ inputDeviceId: 'headset' })).deviceId).toEqual({ exact: 'headset' });
    expect(microphoneConstraints(voice({ inputDeviceId: null }))).not.toHaveProperty('deviceId');
  });
});

describe('openMicrophone', () => {
  it('opens audio only, with the settings’ constraints', async () => {
    const { media, calls, stream } = fakeMedia();
    expect(await openMicrophone(media, voice({ inputDeviceId: 'headset', noiseSuppression: false }))).toBe(stream);
    expect(calls).toEqual([{ audio: microphoneConstraints(voice({ inputDeviceId: 'headset', noiseSuppression: false })), video: false }]);
  });

  it('falls back to the default input when the saved device is gone', async () => {
    const { media, calls } = fakeMedia({ headset: 'OverconstrainedError' });
    await openMicrophone(media, voice({ inputDeviceId: 'headset' }));
    expect(calls).toHaveLength(2);
    expect(calls[1]?.audio).not.toHaveProperty('deviceId');
  });

  it('passes other failures on, such as a denied permission', async () => {
    const { media, calls } = fakeMedia({ headset: 'NotAllowedError' });
    await expect(openMicrophone(media, voice({ inputDeviceId: 'headset' }))).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(calls).toHaveLength(1);
  });
});

describe('applyProcessingSettings', () => {
  it('switches processing on the open track without changing its device', async () => {
    const applied: MediaTrackConstraints[] = [];
    const track = { applyConstraints: (constraints: MediaTrackConstraints) => { applied.push(constraints); return Promise.resolve(); } } as unknown as MediaStreamTrack;
    await applyProcessingSettings(track, voice({ inputDeviceId: 'headset', echoCancellation: false }));
    expect(applied).toEqual([{ echoCancellation: false, noiseSuppression: DEFAULTS.noiseSuppression, autoGainControl: DEFAULTS.automaticGainControl, channelCount: 1, sampleRate: 48_000 }]);
  });
});
