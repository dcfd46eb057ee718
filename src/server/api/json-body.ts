/**
 * The JSON body parser of /api/v10. It reads the body as it arrives and refuses it as soon as it
 * passes the route's `bodyLimit` (413, `40005`) or nests arrays and objects deeper than
 * {@link MAX_JSON_DEPTH} (400, `50109`), before anything is parsed: a hostile body costs what
 * arrived up to that point, never a parse. Like Discord's, it takes an empty body sent with
 * `Content-Type: application/json` (common for DELETE and body-less POSTs from fetch wrappers)
 * as no body; anything else must be valid JSON.
 */
import type { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';

/** Deepest nesting of arrays and objects a body may have; Discord's bodies need a handful. */
export const MAX_JSON_DEPTH = 64;
/** Body limit of the routes anyone may call (register, login): their bodies are a few short strings. */
export const AUTH_BODY_LIMIT = 16 * 1024;

/** The bytes that matter to nesting: `"` `\` `[` `]` `{` `}`. */
const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d, OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d;

/**
 * Follows the nesting depth of JSON text chunk by chunk without parsing it. Quotes, backslashes
 * and brackets are ASCII bytes, which never occur inside a multi-byte UTF-8 character, so the
 * bytes are scanned as they are; strings are skipped with `indexOf` (an image's base64 in one go).
 */
export class JsonDepthScanner {
  private depth = 0;
  private inString = false;
  /** The previous chunk ended with a backslash inside a string: the next byte is escaped. */
  private escapePending = false;

  /** Scans the next chunk; false once the nesting went deeper than {@link MAX_JSON_DEPTH}. */
  scan(chunk: Buffer): boolean {
    let i = 0;
    if (this.escapePending) {
      this.escapePending = false;
      i = 1;
    }
    let quoteAt = -2;
    let backslashAt = -2;
    while (i < chunk.length) {
      if (this.inString) {
        if (quoteAt !== -1 && quoteAt < i) quoteAt = chunk.indexOf(QUOTE, i);
        if (backslashAt !== -1 && backslashAt < i) backslashAt = chunk.indexOf(BACKSLASH, i);
        if (backslashAt !== -1 && (quoteAt === -1 || backslashAt < quoteAt)) {
          // Skip the escaped byte (which may be a quote), or carry the escape into the next chunk.
          if (backslashAt + 1 >= chunk.length) this.escapePending = true;
          i = backslashAt + 2;
        } else if (quoteAt !== -1) {
          this.inString = false;
          i = quoteAt + 1;
        } else {
          return true;
        }
        continue;
      }
      const byte = chunk[i];
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
        this.depth += 1;
        if (this.depth > MAX_JSON_DEPTH) return false;
      } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) this.depth -= 1;
      i += 1;
    }
    return true;
  }
}

const tooDeep = () => new HearthError('MALFORMED_JSON', undefined, `The request body contains invalid JSON: arrays and objects may nest ${MAX_JSON_DEPTH} levels deep.`);

/**
 * Reads a JSON body from its stream, refusing it on the first chunk past `limit` bytes or past
 * the depth limit. On refusal the stream is paused and left unread; Fastify answers with
 * `Connection: close`, so the rest of the body is never read.
 */
export function readJsonBody(payload: Readable, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const scanner = new JsonDepthScanner();
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (error: unknown) => {
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', stop);
      payload.pause();
      reject(error instanceof HearthError ? error : new HearthError('MALFORMED_JSON', undefined, 'The request body ended before it was complete.'));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return stop(new HearthError('PAYLOAD_TOO_LARGE'));
      if (!scanner.scan(chunk)) return stop(tooDeep());
      chunks.push(chunk);
    };
    const onEnd = () => {
      payload.off('error', stop);
      try {
        const text = Buffer.concat(chunks, received).toString('utf8');
        resolve(text.trim() === '' ? undefined : parseJson(text));
      } catch (error) {
        reject(error);
      }
    };
    payload.on('data', onData);
    payload.once('end', onEnd);
    payload.once('error', stop);
  });
}

export function installJsonBodyParser(api: FastifyInstance): void {
  api.removeContentTypeParser('application/json');
  api.addContentTypeParser('application/json', (request: FastifyRequest, payload: IncomingMessage) => {
    const declared = Number(request.headers['content-length']);
    // A declared length over the limit is refused before a byte is read.
    if (declared > request.routeOptions.bodyLimit) return Promise.reject(new HearthError('PAYLOAD_TOO_LARGE'));
    return readJsonBody(payload, request.routeOptions.bodyLimit);
  });
}

/** Parses JSON text already checked for depth: 50109 when it is not JSON, 50035 for a NUL character. */
function parseJson(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new HearthError('MALFORMED_JSON');
  }
  refuseNulCharacters(parsed);
  return parsed;
}

/** Parses a JSON text that arrived whole (multipart `payload_json`), under the same depth limit. */
export function parseJsonText(text: string): unknown {
  if (!new JsonDepthScanner().scan(Buffer.from(text, 'utf8'))) throw tooDeep();
  return parseJson(text);
}

/**
 * Refuses U+0000 anywhere in a body with 50035 on that field: PostgreSQL cannot store it in text,
 * so accepting it would make the two stores keep different data.
 */
export function refuseNulCharacters(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) {
      throw invalidFormBody({ [path || '_root']: { code: 'BASE_TYPE_INVALID', message: 'Must not contain the NUL character (U+0000).' } });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => refuseNulCharacters(item, path ? `${path}.${index}` : String(index)));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) refuseNulCharacters(item, path ? `${path}.${key}` : key);
  }
}
