/**
 * `POST /attachments/refresh-urls` (Discord's): fresh signed URLs for attachment URLs that expired
 * or are about to, for a client that has kept messages open longer than a URL lives. Only URLs of
 * attachments in channels the caller can read are refreshed; the others are left out.
 */
import type { FastifyInstance } from 'fastify';
import { HearthError } from '../../shared/errors.js';
import { Permission } from '../../shared/permissions.js';
import { refreshAttachmentUrlsSchema, type RefreshAttachmentUrlsResponse } from '../../shared/protocol/rest.js';
import { isSnowflake } from '../../shared/snowflake.js';
import { parseBody } from '../../shared/validation.js';
import type { ServerContext } from '../context.js';
import { requireChannelAccess } from '../domain/access.js';
import { sanitizeFilename } from './attachment-files.js';
import { requireUser, userOf } from './auth.js';
import { Buckets } from './rate-limit.js';

/** The attachment an URL names (any host: the server may have moved since it was issued). */
function parseAttachmentUrl(url: string): { channelId: string; attachmentId: string; filename: string } | undefined {
  let parts: string[];
  try {
    parts = new URL(url).pathname.split('/').map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [filename = '', attachmentId = '', channelId = '', folder] = parts.reverse();
  if (folder !== 'attachments') return undefined;
  if (!isSnowflake(channelId) || !isSnowflake(attachmentId) || sanitizeFilename(filename) !== filename) return undefined;
  return { channelId, attachmentId, filename };
}

export function registerAttachmentRefreshRoute(api: FastifyInstance, ctx: ServerContext): void {
  api.post('/attachments/refresh-urls', { onRequest: requireUser(ctx), config: { rateLimit: Buckets.userRead } }, async (request) => {
    const { attachment_urls: urls } = parseBody(refreshAttachmentUrlsSchema, request.body);
    const userId = userOf(request).id;
    const readable = new Map<string, Promise<boolean>>();
    const canRead = (channelId: string) => {
      let answer = readable.get(channelId);
      if (!answer) {
        answer = requireChannelAccess(ctx.store, userId, channelId, Permission.VIEW_CHANNEL | Permission.READ_MESSAGE_HISTORY).then(
          () => true,
          (error: unknown) => {
            if (error instanceof HearthError) return false;
            throw error;
          },
        );
        readable.set(channelId, answer);
      }
      return answer;
    };
    const response: RefreshAttachmentUrlsResponse = { refreshed_urls: [] };
    for (const original of urls) {
      const attachment = parseAttachmentUrl(original);
      if (!attachment || !(await canRead(attachment.channelId))) continue;
      const refreshed = ctx.attachmentUrls.url(ctx.baseUrl(), attachment.channelId, attachment.attachmentId, attachment.filename);
      response.refreshed_urls.push({ original, refreshed });
    }
    return response;
  });
}
