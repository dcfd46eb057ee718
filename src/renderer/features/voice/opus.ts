/**
 * Opus at the channel's bitrate. Two levers, both used: `maxaveragebitrate` in the SDP tells the
 * remote encoder what this side wants to receive (RFC 7587), and `RTCRtpSender.setParameters`
 * caps what this side sends. Discord's voice channels allow 8–96 kbps (Hearth: the same range).
 */
import type { RtpSenderLike } from './media-types.js';

export const MIN_BITRATE = 8_000;
export const MAX_BITRATE = 96_000;
/** Discord's default voice channel bitrate. */
export const DEFAULT_BITRATE = 64_000;

/** The bitrate clamped to what voice channels allow. */
export function clampBitrate(bitsPerSecond: number): number {
  if (!Number.isFinite(bitsPerSecond)) return DEFAULT_BITRATE;
  return Math.round(Math.min(MAX_BITRATE, Math.max(MIN_BITRATE, bitsPerSecond)));
}

/**
 * Sets `maxaveragebitrate` (and mono, in-band FEC) on the Opus `fmtp` line of an SDP; other
 * lines are left as they are. SDP without Opus comes back unchanged.
 */
export function withOpusBitrate(sdp: string, bitsPerSecond: number): string {
  const rtpmap = /^a=rtpmap:(\d+) opus\/48000/im.exec(sdp);
  if (!rtpmap) return sdp;
  const payloadType = rtpmap[1];
  const bitrate = clampBitrate(bitsPerSecond);
  const lineBreak = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(lineBreak);
  const fmtpIndex = lines.findIndex((line) => line.startsWith(`a=fmtp:${payloadType} `));
  if (fmtpIndex === -1) {
    const rtpmapIndex = lines.findIndex((line) => line.startsWith(`a=rtpmap:${payloadType} `));
    lines.splice(rtpmapIndex + 1, 0, `a=fmtp:${payloadType} maxaveragebitrate=${bitrate};useinbandfec=1`);
    return lines.join(lineBreak);
  }
  const prefix = `a=fmtp:${payloadType} `;
  const params = (lines[fmtpIndex] as string)
    .slice(prefix.length)
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0 && !part.startsWith('maxaveragebitrate='));
  if (!params.some((part) => part.startsWith('useinbandfec='))) params.push('useinbandfec=1');
  params.push(`maxaveragebitrate=${bitrate}`);
  lines[fmtpIndex] = `${prefix}${params.join(';')}`;
  return lines.join(lineBreak);
}

/** Caps what the sender sends at the bitrate (RTCRtpSender.setParameters). */
export async function capSenderBitrate(sender: RtpSenderLike, bitsPerSecond: number): Promise<void> {
  const parameters = sender.getParameters();
  if (parameters.encodings.length === 0) parameters.encodings = [{}];
  for (const encoding of parameters.encodings) encoding.maxBitrate = clampBitrate(bitsPerSecond);
  await sender.setParameters(parameters);
}
