/**
 * Headers every HTTP response carries (web client, REST, images, attachments, errors): no page of
 * another site may frame ours (clickjacking), browsers take content types as sent, and no address
 * of ours (invite links, signed attachment URLs) leaks to other sites as a referrer.
 * `deploy/nginx.conf` adds the same headers to what nginx answers itself.
 */
import type { FastifyInstance } from 'fastify';

/** The framing rule, as a CSP directive (modern browsers) and as X-Frame-Options (older ones). */
export const FRAME_ANCESTORS = "frame-ancestors 'self'";

/** Sent on every response; a route's own value wins (Content-Security-Policy is merged instead). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': FRAME_ANCESTORS,
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * A route's Content-Security-Policy with the framing rule added, unless it already states one
 * (attachments send `default-src 'none'; sandbox`, which must stay).
 */
export function withFrameAncestors(policy: string): string {
  if (/(^|;)\s*frame-ancestors\s/i.test(policy)) return policy;
  const trimmed = policy.trim().replace(/;\s*$/, '');
  return trimmed === '' ? FRAME_ANCESTORS : `${trimmed}; ${FRAME_ANCESTORS}`;
}

/** Adds {@link SECURITY_HEADERS} to every response of the app, including errors and static files. */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      const current = reply.getHeader(name);
      if (current === undefined) void reply.header(name, value);
      else if (name === 'Content-Security-Policy') void reply.header(name, withFrameAncestors(String(current)));
    }
    return payload;
  });
}
