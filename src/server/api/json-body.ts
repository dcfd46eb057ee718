/**
 * The JSON body parser of /api/v10. Like Discord's, it takes an empty body sent with
 * `Content-Type: application/json` (common for DELETE and body-less POSTs from fetch wrappers) as
 * no body instead of refusing it; anything else must be valid JSON.
 */
import type { FastifyInstance } from 'fastify';
import { HearthError } from '../../shared/errors.js';

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
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(new HearthError('MALFORMED_JSON'), undefined);
    }
  });
}
