import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaStreamLike } from './media-types.js';
import { WebAudioOutput } from './web-audio-output.js';

/** A recording AudioContext: the nodes it made, their gains and the output device chosen. */
function fakeContext(options: { sinkSelectable: boolean }) {
  const gains: { value: number; target: number | null; disconnected: boolean }[] = [];
  const sinks: string[] = [];
  const context = {
    currentTime: 0,
    destination: {},
    createMediaStreamSource: () => ({ connect: (node: unknown) => node, disconnect: () => undefined }),
    createGain: () => {
      const record = { value: 1, target: null as number | null, disconnected: false };
      gains.push(record);
      return {
        gain: {
          set value(v: number) { record.value = v; },
          get value() { return record.value; },
          setTargetAtTime: (target: number) => { record.target = target; },
        },
        connect: (node: unknown) => node,
        disconnect: () => { record.disconnected = true; },
      };
    },
    resume: () => Promise.resolve(),
    ...(options.sinkSelectable ? { setSinkId: (id: string) => { sinks.push(id); return Promise.resolve(); } } : {}),
  };
  return { context: context as unknown as AudioContext, gains, sinks };
}

const stream = {} as MediaStreamLike;
const elementSinks = new Map<HTMLMediaElement, string>();
const played: HTMLMediaElement[] = [];

beforeEach(() => {
  // jsdom plays no media and has no setSinkId; Chromium has both.
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(function (this: HTMLMediaElement) {
    played.push(this);
    return Promise.resolve();
  });
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
  Object.defineProperty(HTMLMediaElement.prototype, 'setSinkId', {
    configurable: true,
    value(this: HTMLMediaElement, id: string) { elementSinks.set(this, id); return Promise.resolve(); },
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  delete (HTMLMediaElement.prototype as Partial<{ setSinkId: unknown }>).setSinkId;
  elementSinks.clear();
  played.length = 0;
});

describe('WebAudioOutput', () => {
  it('plays up to 100 % through the element and boosts above it through a gain node', () => {
    const { context, gains } = fakeContext({ sinkSelectable: true });
    const output = new WebAudioOutput(context);
    const audio = output.attach('1', stream);
    const element = played[0];
    expect(element?.srcObject).toBe(stream);
    expect(gains[0]?.value).toBe(0);

    audio.setGain(0.5);
    expect({ muted: element?.muted, volume: element?.volume, boost: gains[0]?.target }).toEqual({ muted: false, volume: 0.5, boost: 0 });
    audio.setGain(1.8);
    expect({ muted: element?.muted, volume: element?.volume, boost: gains[0]?.target }).toEqual({ muted: true, volume: 1, boost: 1.8 });
    audio.setGain(0);
    expect({ muted: element?.muted, volume: element?.volume, boost: gains[0]?.target }).toEqual({ muted: false, volume: 0, boost: 0 });

    audio.detach();
    expect(gains[0]?.disconnected).toBe(true);
    expect(element?.srcObject).toBeNull();
  });

  it('sets the chosen output device on the context and on every playing element, then on new ones', async () => {
    const { context, sinks } = fakeContext({ sinkSelectable: true });
    const output = new WebAudioOutput(context);
    output.attach('1', stream);
    expect(await output.setOutputDevice('speakers-2')).toBe(true);
    expect(sinks).toEqual(['speakers-2']);
    expect([...elementSinks.values()]).toEqual(['speakers-2']);

    output.attach('2', stream);
    expect([...elementSinks.values()]).toEqual(['speakers-2', 'speakers-2']);

    await output.setOutputDevice(null);
    expect(sinks).toEqual(['speakers-2', '']);
    expect([...elementSinks.values()]).toEqual(['', '']);
  });

  it('reports that the output device cannot be chosen where AudioContext.setSinkId is missing', async () => {
    const { context } = fakeContext({ sinkSelectable: false });
    const output = new WebAudioOutput(context);
    output.attach('1', stream);
    expect(await output.setOutputDevice('speakers-2')).toBe(false);
    expect(elementSinks.size).toBe(0);
  });
});
