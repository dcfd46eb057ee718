/**
 * Uploads in Discord's shape: `multipart/form-data` with `files[n]` parts and a `payload_json`
 * part (or plain `content`/`nonce`/`tts` fields). Files stream to their final place on disk while
 * their bytes are counted; past 25 MiB in one request the upload stops with 413 and whatever was
 * written is removed. Files are fsynced (with their directories) before the message is stored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { imageSizeFromFile } from 'image-size/fromFile';
import { HearthError } from '../../shared/errors.js';
import type { Attachment } from '../../shared/protocol/entities.js';
import type { Snowflake } from '../../shared/snowflake.js';
import type { ServerContext } from '../context.js';
import {
  SNIFF_BYTES, attachmentDir, attachmentType, attachmentUrl, attachmentsRoot, deleteAttachmentFiles, readHead, sanitizeFilename,
  type AttachmentType,
} from './attachment-files.js';
import { parseJsonText, refuseNulCharacters } from './json-body.js';

/** Most bytes of files in one request (Discord's free-tier limit). */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** Most files on one message, as Discord. */
export const MAX_ATTACHMENTS = 10;
/** Largest `payload_json` or other form field. */
const MAX_FIELD_BYTES = 1024 * 1024;

/** One file written to disk for the message being created. */
export interface Upload {
  /** `n` of `files[n]`, or the part's position for other field names. */
  index: number;
  attachmentId: Snowflake;
  filename: string;
  size: number;
  type: AttachmentType;
  /** Where the file is, until the message is stored or the request fails. */
  file: string;
}

/** A message body read from JSON or from multipart form data. */
export interface MessageBody {
  /** The JSON payload (parsed by the route's schema). */
  payload: unknown;
  uploads: Upload[];
}

/** Metadata a client gives for its files inside `payload_json.attachments`. */
export interface AttachmentMetadata {
  id: string | number;
  filename?: string | undefined;
  description?: string | undefined;
}

/** Reads the body of a message create/edit, storing any files; JSON bodies pass straight through. */
export async function readMessageBody(request: FastifyRequest, ctx: ServerContext, channelId: Snowflake): Promise<MessageBody> {
  if (!request.isMultipart()) return { payload: request.body ?? {}, uploads: [] };
  const uploads: Upload[] = [];
  const fields: Record<string, unknown> = {};
  let payload: unknown;
  const counter = { total: 0 };
  try {
    const parts = request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES + 1, files: MAX_ATTACHMENTS, fieldSize: MAX_FIELD_BYTES } });
    for await (const part of parts) {
      if (part.type === 'file') {
        uploads.push(await storeUpload(part, uploads.length, ctx, channelId, counter));
      } else if (part.fieldname === 'payload_json') {
        payload = parsePayloadJson(part.value);
      } else {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    await discardUploads(ctx, channelId, uploads);
    throw toUploadError(error);
  }
  const body = payload ?? formFields(fields);
  try {
    refuseNulCharacters(body);
  } catch (error) {
    await discardUploads(ctx, channelId, uploads);
    throw error;
  }
  return { payload: body, uploads };
}

function parsePayloadJson(value: unknown): unknown {
  if (typeof value !== 'string') return value; // already parsed: the part said application/json
  return parseJsonText(value);
}

/** Discord also accepts the JSON fields as plain form fields when there is no `payload_json`. */
function formFields(fields: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  if (typeof fields.content === 'string') payload.content = fields.content;
  if (typeof fields.nonce === 'string') payload.nonce = fields.nonce;
  if (fields.tts === 'true' || fields.tts === 'false') payload.tts = fields.tts === 'true';
  return payload;
}

/**
 * Busboy's errors for a body that is not well-formed multipart (no boundary, cut off before its
 * closing boundary): the client's fault, so 400 rather than a server error.
 */
function isMalformedMultipart(error: unknown): boolean {
  return error instanceof Error && !('syscall' in error) && /multipart|boundary/i.test(error.message);
}

function toUploadError(error: unknown): unknown {
  if (error instanceof HearthError) return error;
  if (isMalformedMultipart(error)) return new HearthError('INVALID_FORM_BODY', undefined, 'The multipart body is malformed or incomplete.');
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new HearthError('FILE_TOO_LARGE');
  if (code === 'FST_FILES_LIMIT') {
    return new HearthError('FILE_TOO_LARGE', undefined, `Too many files: at most ${MAX_ATTACHMENTS} per message`);
  }
  if (code === 'FST_INVALID_JSON_FIELD_ERROR') return new HearthError('MALFORMED_JSON');
  return error;
}

/** Counts bytes across every file of the request, failing past the limit; keeps the first bytes. */
function byteCounter(counter: { total: number }, head: Buffer[]): Transform {
  let kept = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counter.total += chunk.length;
      if (counter.total > MAX_UPLOAD_BYTES) {
        callback(new HearthError('FILE_TOO_LARGE'));
        return;
      }
      if (kept < SNIFF_BYTES) {
        head.push(chunk.subarray(0, SNIFF_BYTES - kept));
        kept += Math.min(chunk.length, SNIFF_BYTES - kept);
      }
      callback(null, chunk);
    },
  });
}

async function storeUpload(
  part: MultipartFile, position: number, ctx: ServerContext, channelId: Snowflake, counter: { total: number },
): Promise<Upload> {
  const attachmentId = ctx.ids.next();
  const filename = sanitizeFilename(part.filename || 'unknown');
  const dir = attachmentDir(ctx.config.dataDir, channelId, attachmentId);
  const file = path.join(dir, filename);
  const before = counter.total;
  const head: Buffer[] = [];
  await fs.promises.mkdir(dir, { recursive: true });
  try {
    await pipeline(part.file, byteCounter(counter, head), fs.createWriteStream(file, { flags: 'wx' }));
    if (part.file.truncated) throw new HearthError('FILE_TOO_LARGE');
  } catch (error) {
    await fs.promises.rm(dir, { recursive: true, force: true });
    throw error;
  }
  const index = /^files\[(\d+)\]$/.exec(part.fieldname)?.[1];
  return {
    index: index === undefined ? position : Number(index),
    attachmentId,
    filename,
    size: counter.total - before,
    type: attachmentType(filename, Buffer.concat(head)),
    file,
  };
}

/** Removes the files of a request that failed. */
export async function discardUploads(ctx: ServerContext, channelId: Snowflake, uploads: readonly Upload[]): Promise<void> {
  await deleteAttachmentFiles(ctx.config.dataDir, channelId, uploads.map((u) => u.attachmentId));
}

async function fsyncPath(target: string): Promise<void> {
  const handle = await fs.promises.open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Applies the client's metadata (a different file name, a description), measures images, fsyncs
 * every file and directory, and returns the attachment objects to store with the message.
 */
export async function finishUploads(
  ctx: ServerContext, channelId: Snowflake, uploads: Upload[], metadata: readonly AttachmentMetadata[] = [],
): Promise<Attachment[]> {
  const attachments: Attachment[] = [];
  for (const upload of uploads) {
    const meta = metadata.find((m) => String(m.id) === String(upload.index));
    if (meta?.filename !== undefined && sanitizeFilename(meta.filename) !== upload.filename) {
      const renamed = sanitizeFilename(meta.filename);
      const target = path.join(path.dirname(upload.file), renamed);
      await fs.promises.rename(upload.file, target);
      upload.file = target;
      upload.filename = renamed;
      upload.type = attachmentType(renamed, await readHead(target));
    }
    await fsyncPath(upload.file);
    await fsyncPath(path.dirname(upload.file));
    attachments.push(await describeUpload(ctx, channelId, upload, meta?.description));
  }
  if (uploads.length > 0) {
    await fsyncPath(path.join(attachmentsRoot(ctx.config.dataDir), channelId));
    await fsyncPath(attachmentsRoot(ctx.config.dataDir));
  }
  return attachments;
}

async function describeUpload(ctx: ServerContext, channelId: Snowflake, upload: Upload, description?: string): Promise<Attachment> {
  const url = attachmentUrl(ctx.baseUrl(), channelId, upload.attachmentId, upload.filename);
  const attachment: Attachment = {
    id: upload.attachmentId,
    filename: upload.filename,
    size: upload.size,
    url,
    proxy_url: url,
    content_type: upload.type.contentType,
  };
  if (description) attachment.description = description;
  if (upload.type.image) {
    // A file that looks like an image but cannot be measured still uploads, without a size.
    const size = await imageSizeFromFile(upload.file).catch(() => undefined);
    attachment.width = size?.width ?? null;
    attachment.height = size?.height ?? null;
  }
  return attachment;
}
