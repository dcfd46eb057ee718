// Discord v10 REST over keep-alive HTTP/1.1, with the rate-limit headers honoured per token:
// a sender whose bucket is empty is skipped until its reset, so the load generator measures the
// server rather than its own 429s.
import http from 'node:http';
import https from 'node:https';

/**
 * @typedef {object} RestResponse
 * @property {number} status
 * @property {http.IncomingHttpHeaders} headers
 * @property {any} body parsed JSON, or null for an empty body
 */

/**
 * JSON when the body is JSON; the text otherwise (a proxy's HTML error page, say); null when empty.
 * @param {string} text
 */
function parseBody(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** HTTP client for one target server. */
export class RestClient {
  /**
   * @param {object} options
   * @param {string} options.baseUrl e.g. http://127.0.0.1:8080 (the API lives under /api/v10)
   * @param {string} options.userAgent
   * @param {number} [options.maxSockets]
   */
  constructor(options) {
    this.base = new URL(options.baseUrl);
    this.userAgent = options.userAgent;
    this.transport = this.base.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  }

  /**
   * @param {string} method
   * @param {string} path below /api/v10, e.g. /channels/1/messages
   * @param {{ token?: string, body?: unknown, localAddress?: string }} [options] `localAddress` binds the
   *   client side of the connection (e.g. another 127.x.y.z loopback address)
   * @returns {Promise<RestResponse>}
   */
  request(method, path, options = {}) {
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    /** @type {http.OutgoingHttpHeaders} */
    const headers = { 'User-Agent': this.userAgent, Accept: 'application/json' };
    if (options.token) headers.Authorization = options.token;
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = payload.length;
    }
    const basePath = this.base.pathname.replace(/\/$/, '');
    return new Promise((resolve, reject) => {
      const request = this.transport.request(
        { protocol: this.base.protocol, hostname: this.base.hostname, port: this.base.port, path: `${basePath}/api/v10${path}`, method, headers, agent: this.agent, localAddress: options.localAddress },
        (response) => {
          /** @type {Buffer[]} */
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parseBody(text) });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  /**
   * Like `request` but throws on a status outside 2xx, with the server's error body in the message.
   * @param {string} method
   * @param {string} path
   * @param {{ token?: string, body?: unknown, localAddress?: string }} [options]
   */
  async expectOk(method, path, options) {
    const response = await this.request(method, path, options);
    if (response.status < 200 || response.status >= 300) {
      throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }

  /** Releases pooled connections. */
  close() {
    this.agent.destroy();
  }
}

/**
 * Tokens that send messages, chosen round-robin among those whose rate-limit bucket is not empty
 * (from `X-RateLimit-Remaining`/`Reset-After`, and `retry_after` on a 429).
 */
export class SenderPool {
  /** @param {readonly string[]} tokens */
  constructor(tokens) {
    if (tokens.length === 0) throw new Error('SenderPool needs at least one token');
    this.senders = tokens.map((token) => ({ token, blockedUntil: 0, inFlight: false }));
    this.cursor = 0;
    this.rateLimited = 0;
  }

  /** A sender free to send now, or undefined when every bucket is empty or busy. */
  take(now = Date.now()) {
    for (let tried = 0; tried < this.senders.length; tried++) {
      const sender = this.senders[this.cursor];
      this.cursor = (this.cursor + 1) % this.senders.length;
      if (sender && !sender.inFlight && sender.blockedUntil <= now) {
        sender.inFlight = true;
        return sender;
      }
    }
    return undefined;
  }

  /**
   * Records the response's rate-limit state for the sender and frees it.
   * @param {{ token: string, blockedUntil: number, inFlight: boolean }} sender
   * @param {RestResponse} response
   */
  release(sender, response) {
    sender.inFlight = false;
    const now = Date.now();
    if (response.status === 429) {
      this.rateLimited += 1;
      const retryAfter = Number(response.body?.retry_after ?? response.headers['retry-after'] ?? 1);
      sender.blockedUntil = now + retryAfter * 1000;
      return;
    }
    if (response.headers['x-ratelimit-remaining'] === '0') {
      sender.blockedUntil = now + Number(response.headers['x-ratelimit-reset-after'] ?? 1) * 1000;
    }
  }
}
