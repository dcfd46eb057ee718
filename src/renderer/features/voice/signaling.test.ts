import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { capSenderBitrate, withOpusBitrate } from './opus.js';
import { MAX_BATCH_CHARS, SignalBatcher, parseSignalEnvelope, type SignalEnvelope } from './signal-batcher.js';

const SDP = ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 0', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');

describe('Opus bitrate', () => {
  it('sets maxaveragebitrate on the Opus fmtp line, clamped to 8–96 kbps', () => {
    expect(withOpusBitrate(SDP, 64_000)).toContain('a=fmtp:111 minptime=10;useinbandfec=1;maxaveragebitrate=64000\r\n');
    expect(withOpusBitrate(withOpusBitrate(SDP, 64_000), 200_000)).toContain('a=fmtp:111 minptime=10;useinbandfec=1;maxaveragebitrate=96000\r\n');
    expect(withOpusBitrate(SDP, 1_000)).toContain('maxaveragebitrate=8000');
  });

  it('adds an fmtp line when there is none and leaves SDP without Opus alone', () => {
    const bare = SDP.replace('a=fmtp:111 minptime=10;useinbandfec=1\r\n', '');
    expect(withOpusBitrate(bare, 32_000)).toContain('a=rtpmap:111 opus/48000/2\r\na=fmtp:111 maxaveragebitrate=32000;useinbandfec=1\r\n');
    const noOpus = 'v=0\r\nm=audio 9 RTP 0\r\na=rtpmap:0 PCMU/8000\r\n';
    expect(withOpusBitrate(noOpus, 32_000)).toBe(noOpus);
  });

  it('caps the sender encodings', async () => {
    let applied: unknown;
    await capSenderBitrate({ track: null, getParameters: () => ({ encodings: [] }), setParameters: async (p) => void (applied = p) }, 48_000);
    expect(applied).toEqual({ encodings: [{ maxBitrate: 48_000 }] });
  });
});

describe('SignalBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends signals queued within the delay as one envelope, in order', () => {
    const sent: SignalEnvelope[] = [];
    const batcher = new SignalBatcher('p1', (envelope) => sent.push(envelope), 15);
    batcher.push({ type: 'offer', sdp: 'x' });
    batcher.push({ candidate: { candidate: 'a' } });
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(15);
    expect(sent).toEqual([{ peer: 'p1', signals: [{ type: 'offer', sdp: 'x' }, { candidate: { candidate: 'a' } }] }]);
  });

  it('closes a batch early before it grows past the size limit', () => {
    const sent: SignalEnvelope[] = [];
    const batcher = new SignalBatcher('p1', (envelope) => sent.push(envelope));
    const big = { type: 'offer', sdp: 'x'.repeat(MAX_BATCH_CHARS - 100) };
    batcher.push(big);
    batcher.push({ candidate: { candidate: 'y'.repeat(200) } });
    expect(sent).toEqual([{ peer: 'p1', signals: [big] }]);
    batcher.cancel();
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
  });

  it('parses only well-formed envelopes', () => {
    expect(parseSignalEnvelope({ peer: 'p', signals: [{ type: 'answer' }] })).toEqual({ peer: 'p', signals: [{ type: 'answer' }] });
    expect(parseSignalEnvelope({ peer: '', signals: [] })).toBeUndefined();
    expect(parseSignalEnvelope({ peer: 'p', signals: ['x'] })).toBeUndefined();
    expect(parseSignalEnvelope('offer')).toBeUndefined();
  });
});
