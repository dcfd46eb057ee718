/**
 * User avatars and guild icons. Clients send Discord's data URI in JSON
 * (`"avatar": "data:image/png;base64,..."`); the image is checked by its bytes (PNG, JPEG, GIF,
 * WebP, at most 8 MiB), stored under `<dataDir>/avatars/<userId>/<hash>` or
 * `<dataDir>/icons/<guildId>/<hash>`, and served at `/avatars/:userId/:hash.png` and
 * `/icons/:guildId/:hash.png` with its real content type. The hash is of the content, so URLs
 * are immutable and cacheable; GIFs get Discord's `a_` prefix.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';
import { isSnowflake } from '../../shared/snowflake.js';
import type { ServerContext } from '../context.js';

/** Largest avatar or icon, decoded. */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
/** JSON body limit of routes that take an image (base64 grows 4/3, plus the other fields). */
export const IMAGE_BODY_LIMIT = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 64 * 1024;

export type ImageKind = 'avatars' | 'icons';

export interface DecodedImage {
  bytes: Buffer;
  contentType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
}

/** The image type by its leading bytes, or undefined when it is not one Hearth accepts. */
export function sniffImageType(bytes: Buffer): DecodedImage['contentType'] | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const head = bytes.subarray(0, 12).toString('latin1');
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'image/gif';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

const DATA_URI = /^data:(image\/(?:png|jpeg|jpg|gif|webp));base64,([A-Za-z0-9+/]+={0,2})$/;

/** Decodes a data URI for the body field `field`, refusing anything but a supported image with 50035. */
export function decodeImageDataUri(field: string, value: string): DecodedImage {
  const refuse = (message: string) => invalidFormBody({ [field]: { code: 'IMAGE_INVALID', message } });
  const match = DATA_URI.exec(value);
  if (!match?.[2]) throw refuse('Invalid image data: send a data URI such as data:image/png;base64,… (PNG, JPEG, GIF or WebP).');
  const bytes = Buffer.from(match[2], 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) throw refuse(`Image too large: at most ${MAX_IMAGE_BYTES / 1024 / 1024} MiB.`);
  const contentType = sniffImageType(bytes);
  if (!contentType) throw refuse('Invalid image data: the content is not a PNG, JPEG, GIF or WebP image.');
  return { bytes, contentType };
}

function imageDir(dataDir: string, kind: ImageKind, ownerId: string): string {
  return path.join(dataDir, kind, ownerId);
}

/** Stores the image and returns its hash (the value of `avatar` / `icon`). */
export async function saveImage(dataDir: string, kind: ImageKind, ownerId: string, image: DecodedImage): Promise<string> {
  const digest = createHash('sha256').update(image.bytes).digest('hex').slice(0, 32);
  const hash = image.contentType === 'image/gif' ? `a_${digest}` : digest;
  const dir = imageDir(dataDir, kind, ownerId);
  await fs.mkdir(dir, { recursive: true });
  // Write then rename, so a reader never sees half a file.
  const temporary = path.join(dir, `.${hash}.${randomBytes(6).toString('hex')}.tmp`);
  await fs.writeFile(temporary, image.bytes);
  await fs.rename(temporary, path.join(dir, hash));
  return hash;
}

/** Removes a replaced image; a missing file is fine. */
export async function deleteImage(dataDir: string, kind: ImageKind, ownerId: string, hash: string | null): Promise<void> {
  if (!hash || !IMAGE_HASH.test(hash)) return;
  await fs.rm(path.join(imageDir(dataDir, kind, ownerId), hash), { force: true });
}

/** Removes every image of an owner (a deleted guild's icons). */
export async function deleteImagesOf(dataDir: string, kind: ImageKind, ownerId: string): Promise<void> {
  await fs.rm(imageDir(dataDir, kind, ownerId), { recursive: true, force: true });
}

/**
 * For a nullable image field of a PATCH body: undefined leaves it, null removes it, a data URI
 * replaces it. Returns the new hash (or null) when it changes.
 */
export async function applyImageField(
  ctx: ServerContext, kind: ImageKind, ownerId: string, field: string, value: string | null | undefined,
): Promise<string | null | undefined> {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return saveImage(ctx.config.dataDir, kind, ownerId, decodeImageDataUri(field, value));
}

const IMAGE_HASH = /^(a_)?[0-9a-f]{32}$/;
const IMAGE_FILE = /^((?:a_)?[0-9a-f]{32})\.(png|jpg|jpeg|gif|webp)$/;

/** Serves stored avatars and icons (outside /api/v10, as Discord's CDN paths). */
export function registerImageRoutes(app: FastifyInstance, ctx: ServerContext): void {
  for (const kind of ['avatars', 'icons'] as const) {
    app.get<{ Params: { ownerId: string; file: string } }>(`/${kind}/:ownerId/:file`, async (request, reply) => {
      const { ownerId, file } = request.params;
      const hash = IMAGE_FILE.exec(file)?.[1];
      if (!isSnowflake(ownerId) || !hash) throw new HearthError('NOT_FOUND');
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(path.join(imageDir(ctx.config.dataDir, kind, ownerId), hash));
      } catch {
        throw new HearthError('NOT_FOUND');
      }
      return reply
        .type(sniffImageType(bytes) ?? 'application/octet-stream')
        .header('Cache-Control', 'public, max-age=31536000, immutable')
        .send(bytes);
    });
  }
}
