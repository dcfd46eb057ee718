/**
 * Attachment files on disk and their serving at `GET /attachments/:channelId/:attachmentId/:filename`
 * (outside /api/v10, like Discord's CDN). A file is served to a request that carries a valid
 * signature (`attachment-urls.ts`; what message payloads hand out, so `<img src>` works without a
 * token), or an `Authorization` of someone who can read the channel; unsigned and badly signed
 * requests without one are guesses, counted per address and refused with 429 past
 * {@link GUESSES_PER_MINUTE}. Files live at `<dataDir>/attachments/<channelId>/<attachmentId>/<filename>`.
 *
 * What a browser may render inline is decided here, once, for uploads and serving alike: raster
 * images whose bytes match their extension, audio, video and plain text. Everything else
 * (HTML, SVG, PDF, scripts, unknown types) is sent as a download so it can never run on our origin.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HearthError } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import { isSnowflake, type Snowflake } from '../../shared/snowflake.js';
import type { ServerContext } from '../context.js';
import { requireChannelAccess } from '../domain/access.js';
import { attachmentPath, type SignatureParams } from './attachment-urls.js';
import { sendRateLimited } from './rate-limit.js';

/** Longest stored file name (Discord keeps names short in URLs too). */
const MAX_FILENAME_LENGTH = 100;

/** Unauthenticated requests without a valid signature one address may make per minute. */
export const GUESSES_PER_MINUTE = 30;

/** Bytes read from the start of a file to recognise images by their signature. */
export const SNIFF_BYTES = 16;

/** The directory holding every attachment of the server. */
export function attachmentsRoot(dataDir: string): string {
  return path.join(dataDir, 'attachments');
}

/** The directory of one attachment (it holds exactly one file). */
export function attachmentDir(dataDir: string, channelId: Snowflake, attachmentId: Snowflake): string {
  return path.join(attachmentsRoot(dataDir), channelId, attachmentId);
}

/**
 * A file name safe on every file system and in a URL path without escaping: the base name with
 * anything but letters, digits, `.`, `-` and `_` replaced by `_` (as Discord turns spaces into `_`).
 */
export function sanitizeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let safe = base.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  if (safe.length > MAX_FILENAME_LENGTH) {
    const ext = path.extname(safe).slice(0, 16);
    safe = safe.slice(0, MAX_FILENAME_LENGTH - ext.length) + ext;
  }
  return safe.length > 0 && !/^_+$/.test(safe.replace(/\..*$/, '')) ? safe : `unknown${path.extname(safe)}`;
}

type ImageKind = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp';

/** The raster image format of a file's first bytes, if any. */
function sniffImage(head: Buffer): ImageKind | undefined {
  const starts = (bytes: number[], at = 0) => bytes.every((b, i) => head[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (starts([0x42, 0x4d])) return 'bmp';
  return undefined;
}

const IMAGE_EXTENSIONS: Record<string, ImageKind> = {
  '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.jfif': 'jpeg', '.gif': 'gif', '.webp': 'webp', '.bmp': 'bmp',
};

/** Types a browser may show inline from our origin without running anything. */
const INLINE_TYPES: Record<string, string> = {
  '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg', '.oga': 'audio/ogg', '.opus': 'audio/ogg', '.wav': 'audio/wav',
  '.flac': 'audio/flac', '.m4a': 'audio/mp4', '.mp4': 'video/mp4', '.m4v': 'video/mp4', '.webm': 'video/webm',
  '.mov': 'video/quicktime', '.txt': 'text/plain; charset=utf-8', '.log': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8', '.csv': 'text/plain; charset=utf-8',
};

/** Types sent as downloads, named so the user's system opens them with the right program. */
const DOWNLOAD_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf', '.zip': 'application/zip', '.gz': 'application/gzip', '.7z': 'application/x-7z-compressed',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.html': 'text/html', '.htm': 'text/html',
};

/** How a stored attachment is described and served. */
export interface AttachmentType {
  contentType: string;
  /** Shown in the browser (images, audio, video, text) rather than downloaded. */
  inline: boolean;
  /** Set for raster images whose bytes match their name: their size is measured. */
  image: boolean;
}

/** The content type of a file from its name and first bytes (see the file comment). */
export function attachmentType(filename: string, head: Buffer): AttachmentType {
  const ext = path.extname(filename).toLowerCase();
  const sniffed = sniffImage(head);
  if (sniffed && IMAGE_EXTENSIONS[ext] === sniffed) return { contentType: `image/${sniffed}`, inline: true, image: true };
  const inline = INLINE_TYPES[ext];
  if (inline && !sniffed) return { contentType: inline, inline: true, image: false };
  return { contentType: DOWNLOAD_TYPES[ext] ?? 'application/octet-stream', inline: false, image: false };
}

/** Reads the first bytes of a file for {@link attachmentType}. */
export async function readHead(file: string): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The unsigned URL of an attachment, as stored with its message (payloads carry signed ones). */
export function attachmentUrl(baseUrl: string, channelId: Snowflake, attachmentId: Snowflake, filename: string): string {
  return `${baseUrl}${attachmentPath(channelId, attachmentId, filename)}`;
}

/** Removes the files of attachments (after their message is deleted or edited away). */
export async function deleteAttachmentFiles(dataDir: string, channelId: Snowflake, attachmentIds: readonly Snowflake[]): Promise<void> {
  await Promise.all(attachmentIds.map((id) => fs.promises.rm(attachmentDir(dataDir, channelId, id), { recursive: true, force: true })));
}

/** A single byte range of `size` bytes from a `Range` header; undefined to send the whole file. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

async function sendAttachment(
  reply: FastifyReply, file: string, filename: string, range: string | undefined, cacheControl: string,
): Promise<FastifyReply> {
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new HearthError('NOT_FOUND');
  const type = attachmentType(filename, await readHead(file));
  void reply
    .type(type.contentType)
    .header('Content-Disposition', `${type.inline ? 'inline' : 'attachment'}; filename="${filename}"`)
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('Cache-Control', cacheControl)
    .header('Accept-Ranges', 'bytes');
  const wanted = parseRange(range, stat.size);
  if (wanted === 'unsatisfiable') return reply.code(416).header('Content-Range', `bytes */${stat.size}`).send();
  if (wanted) {
    void reply.code(206).header('Content-Range', `bytes ${wanted.start}-${wanted.end}/${stat.size}`);
    void reply.header('Content-Length', wanted.end - wanted.start + 1);
    return reply.send(fs.createReadStream(file, wanted));
  }
  return reply.header('Content-Length', stat.size).send(fs.createReadStream(file));
}

/** Removes the attachment directories of channels that no longer exist (after a guild is deleted). */
export async function removeOrphanedAttachments(ctx: ServerContext): Promise<void> {
  const root = attachmentsRoot(ctx.config.dataDir);
  const channelIds = await fs.promises.readdir(root).catch(() => [] as string[]);
  for (const channelId of channelIds) {
    if (isSnowflake(channelId) && !(await ctx.store.getChannel(channelId))) {
      await fs.promises.rm(path.join(root, channelId), { recursive: true, force: true });
    }
  }
}

/**
 * Deletes files whose channel is gone, so a deleted channel's uploads stop being served: on
 * CHANNEL_DELETE its directory, on GUILD_DELETE of a guild that no longer exists (not a member
 * leaving) every directory without a channel. Returns the unsubscribe function.
 */
function watchDeletions(ctx: ServerContext): () => void {
  const run = (work: Promise<void>) => {
    work.catch((error: unknown) => ctx.logger.error({ err: error }, 'removing deleted attachments failed'));
  };
  return ctx.events.subscribe((event) => {
    if (event.t === 'CHANNEL_DELETE') {
      run(fs.promises.rm(path.join(attachmentsRoot(ctx.config.dataDir), event.d.id), { recursive: true, force: true }));
    } else if (event.t === 'GUILD_DELETE') {
      const guildId = event.d.id;
      run(ctx.store.getGuild(guildId).then((guild) => (guild ? undefined : removeOrphanedAttachments(ctx))));
    }
  });
}

type AttachmentRequest = FastifyRequest<{ Params: { channelId: string; attachmentId: string; filename: string }; Querystring: SignatureParams }>;

/**
 * Who may have the file, and for how long a browser may keep it: a valid signature until it
 * expires; a reader of the channel (by `Authorization`) for this response only. Anything else
 * throws (401, 403, 404, or 429 sent for too many guesses) and returns undefined.
 */
async function admit(ctx: ServerContext, request: AttachmentRequest, reply: FastifyReply): Promise<string | undefined> {
  const { channelId, attachmentId, filename } = request.params;
  const signature = ctx.attachmentUrls.check(attachmentPath(channelId, attachmentId, filename), request.query);
  if (signature === 'valid') return `private, max-age=${ctx.attachmentUrls.secondsLeft(request.query)}, immutable`;
  if (request.headers.authorization) {
    const user = await ctx.auth.authenticate(request.headers.authorization);
    await requireChannelAccess(ctx.store, user.id, channelId, Permission.VIEW_CHANNEL | Permission.READ_MESSAGE_HISTORY);
    return 'private, no-cache';
  }
  // An expired URL was real once: its holder needs a fresh one, not a penalty.
  if (signature === 'expired') throw new HearthError('NOT_FOUND', undefined, 'This content is no longer available.');
  const now = Date.now();
  const guesses = await ctx.rateLimits.hit(`attachment-guess:${request.ip}`, 60_000, now);
  if (guesses.count > GUESSES_PER_MINUTE) {
    sendRateLimited(reply, guesses.resetAt - now, { scope: 'shared' });
    return undefined;
  }
  throw new HearthError('NOT_FOUND');
}

/** Serves stored attachments at `/attachments/:channelId/:attachmentId/:filename` to those {@link admit} lets in. */
export function registerAttachmentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const unsubscribe = watchDeletions(ctx);
  app.addHook('onClose', async () => unsubscribe());
  app.get('/attachments/:channelId/:attachmentId/:filename', async (request: AttachmentRequest, reply) => {
    const { channelId, attachmentId, filename } = request.params;
    // Only names the upload could have produced: no traversal, no surprises.
    if (!isSnowflake(channelId) || !isSnowflake(attachmentId) || sanitizeFilename(filename) !== filename) {
      throw new HearthError('NOT_FOUND');
    }
    const cacheControl = await admit(ctx, request, reply);
    if (cacheControl === undefined) return reply;
    const file = path.join(attachmentDir(ctx.config.dataDir, channelId, attachmentId), filename);
    return sendAttachment(reply, file, filename, request.headers.range, cacheControl);
  });
}
