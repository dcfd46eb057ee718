/**
 * Upload fixtures: a real PNG (so image-size has something true to measure) and a multipart
 * message POST shaped as discord.js sends it.
 */
import zlib from 'node:zlib';
import type { ErrorBody } from '../../shared/errors.js';
import type { Message } from '../../shared/protocol/entities.js';
import type { TestUser } from './api.js';

/** A real PNG of the given size (grey pixels), so image-size has something true to measure. */
export function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter byte per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface FilePart {
  name: string;
  data: Buffer | Uint8Array;
  type?: string;
}

/** POSTs multipart form data the way discord.js does: `files[n]` then `payload_json`. */
export async function upload(baseUrl: string, user: TestUser, channelId: string, files: FilePart[], payload?: unknown, rawPayload?: string) {
  const form = new FormData();
  files.forEach((file, n) => form.append(`files[${n}]`, new Blob([new Uint8Array(file.data)], { type: file.type ?? 'application/octet-stream' }), file.name));
  if (payload !== undefined || rawPayload !== undefined) form.append('payload_json', rawPayload ?? JSON.stringify(payload));
  const response = await fetch(`${baseUrl}/api/v10/channels/${channelId}/messages`, { method: 'POST', headers: { authorization: user.token }, body: form });
  return { status: response.status, body: (await response.json()) as Message & ErrorBody };
}
