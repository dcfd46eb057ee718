/**
 * Signed, expiring attachment URLs, as Discord's CDN has given them since 2024:
 * `/attachments/<channel>/<attachment>/<file>?ex=<expiry>&is=<issued>&hm=<signature>`, times in
 * hexadecimal Unix seconds, the signature an HMAC-SHA256 of the path and both times under a
 * server secret. The secret lives in the database, so every node of a deployment signs and checks
 * alike; a URL works for anyone who has it until it expires, and nobody can make one up.
 *
 * URLs are issued for the start of the current {@link ISSUE_WINDOW_MS} window, so one message's
 * URLs stay the same (and cached by browsers) for hours, and always have at least 12 hours left.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Snowflake } from '../../shared/snowflake.js';
import type { Store } from '../store/store.js';

/** How long a signed URL works after it was issued (Discord's is a day). */
export const ATTACHMENT_URL_LIFETIME_MS = 24 * 3_600_000;
/** Issue times are rounded down to this, so URLs repeat within it. */
const ISSUE_WINDOW_MS = 12 * 3_600_000;
/** The database name of the signing secret. */
const SECRET_NAME = 'attachment-urls';

/** What a request's signature says. */
export type SignatureCheck = 'valid' | 'expired' | 'invalid' | 'unsigned';

/** The query parameters of a signed URL. */
export interface SignatureParams {
  ex?: string;
  is?: string;
  hm?: string;
}

/** The path of an attachment, as served (file names are already URL-safe, see `sanitizeFilename`). */
export function attachmentPath(channelId: Snowflake, attachmentId: Snowflake, filename: string): string {
  return `/attachments/${channelId}/${attachmentId}/${encodeURIComponent(filename)}`;
}

/** Signs and checks attachment URLs with the server's secret. */
export class AttachmentUrlSigner {
  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The signer of this deployment: the secret is made by the first node that starts and shared through the store. */
  static async open(store: Store): Promise<AttachmentUrlSigner> {
    return new AttachmentUrlSigner(await store.getOrCreateSecret(SECRET_NAME, randomBytes(32).toString('base64url')));
  }

  /** The signed URL of an attachment under `baseUrl`. */
  url(baseUrl: string, channelId: Snowflake, attachmentId: Snowflake, filename: string): string {
    const path = attachmentPath(channelId, attachmentId, filename);
    const issued = Math.floor(this.now() / ISSUE_WINDOW_MS) * ISSUE_WINDOW_MS;
    const is = hexSeconds(issued);
    const ex = hexSeconds(issued + ATTACHMENT_URL_LIFETIME_MS);
    return `${baseUrl}${path}?ex=${ex}&is=${is}&hm=${this.signature(path, ex, is)}&`;
  }

  /** Checks the signature a request for `path` carries. */
  check(path: string, params: SignatureParams): SignatureCheck {
    const { ex, is, hm } = params;
    if (ex === undefined && is === undefined && hm === undefined) return 'unsigned';
    if (!ex || !is || !hm || !/^[0-9a-f]{1,12}$/.test(ex) || !/^[0-9a-f]{1,12}$/.test(is) || !/^[0-9a-f]{64}$/.test(hm)) return 'invalid';
    const expected = Buffer.from(this.signature(path, ex, is), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(hm, 'hex'))) return 'invalid';
    return parseInt(ex, 16) * 1000 > this.now() ? 'valid' : 'expired';
  }

  /** Seconds a valid signed URL has left (for caching). */
  secondsLeft(params: SignatureParams): number {
    return Math.max(0, Math.floor(parseInt(params.ex ?? '0', 16) - this.now() / 1000));
  }

  private signature(path: string, ex: string, is: string): string {
    return createHmac('sha256', this.secret).update(`${path}\n${ex}\n${is}`).digest('hex');
  }
}

function hexSeconds(ms: number): string {
  return Math.floor(ms / 1000).toString(16);
}
