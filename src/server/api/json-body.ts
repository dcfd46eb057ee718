/**
 * The JSON body parser of /api/v10. Like Discord's, it takes an empty body sent with
 * `Content-Type: application/json` (common for DELETE and body-less POSTs from fetch wrappers) as
 * no body instead of refusing it; anything else must be valid JSON.
 */
import type { FastifyInstance } from 'fastify';
import { HearthError, invalidFormBody } from '../../shared/errors.js';

export function installJsonBodyParser(api: FastifyInstance): void {
  api.removeContentTypeParser('application/json');
  // parseAs 'string' keeps Fastify's per-route bodyLimit (413) in force before parsing.
  api.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, parseJsonText(text));
    } catch (error) {
      done(error as HearthError, undefined);
    }
  });
}

/** Parses a JSON request body (or multipart `payload_json`): 50109 when it is not JSON. */
export function parseJsonText(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new HearthError('MALFORMED_JSON');
  }
  refuseNulCharacters(parsed);
  return parsed;
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
