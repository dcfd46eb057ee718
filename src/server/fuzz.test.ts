/**
 * A seeded fuzz over every route the server registers (read from Fastify's route tree, so a new
 * route is fuzzed without anyone listing it) and every gateway opcode: malformed path
 * parameters, queries, bodies, content types and tokens. Whatever comes in, no answer is a 5xx,
 * every refusal carries a JSON error code, every gateway refusal is a 4xxx close, and the server
 * logs no error. Deterministic: the same seed sends the same requests in the same order.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, Role } from '../shared/protocol/entities.js';
import { api, createGuild, joinGuild, registerUser, type TestUser } from './test-support/api.js';
import { GatewayTestClient } from './test-support/gateway-client.js';
import { createLogger } from './logger.js';
import { startTestServer, type TestServer } from './test-support/server.js';

/** mulberry32: a small seeded generator, so a failure can be replayed exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 0x4ea27;
const ROUNDS = 10;
const REQUESTS_PER_ROUND = 400;
const GATEWAY_CASES = 240;

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** One registered route, as Fastify's tree prints it. */
interface Route {
  method: string;
  url: string;
}

/** Every method and path in `printRoutes` output (a tree: children continue their parent's path). */
function registeredRoutes(tree: string): Route[] {
  const routes: Route[] = [];
  const paths: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([\s│├└─]*?)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const segment = match[2] as string;
    const parent = depth === 0 ? '' : (paths[depth - 1] ?? '');
    const url = depth === 0 || parent.endsWith('/') || segment.startsWith('/') ? `${parent}${segment}` : `${parent}/${segment}`;
    paths[depth] = url;
    paths.length = depth + 1;
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean)) routes.push({ method, url });
  }
  return routes;
}

/** A route worth fuzzing: the API, and the server's own pages with parameters (not the web client's static files). */
function fuzzable(route: Route): boolean {
  if (route.method === 'HEAD') return false;
  return route.url.startsWith('/api/v10/') || route.url.includes(':') || ['/healthz', '/readyz', '/metrics'].includes(route.url);
}

const KEYS = [
  'name', 'content', 'nonce', 'enforce_nonce', 'embeds', 'permissions', 'position', 'id', 'roles', 'type', 'parent_id', 'topic', 'nick',
  'allow', 'deny', 'max_age', 'max_uses', 'unique', 'username', 'password', 'new_password', 'global_name', 'avatar', 'icon', 'color',
  'hoist', 'mentionable', 'messages', 'message_reference', 'allowed_mentions', 'attachments', 'flags', 'bitrate', 'user_limit',
  'lock_permissions', 'channel_id', 'mute', 'deaf', 'owner_id', 'application_id', 'login', 'description', 'manual', 'mention_count',
];

const STRINGS = [
  '', ' ', 'a', 'x'.repeat(5000), '\u0000', '😀'.repeat(50), '<script>alert(1)</script>', '../../etc/passwd', '%00', 'null', 'true',
  '-1', '1e309', '0x10', '12345678901234567890123', 'data:image/png;base64,AAAA', 'data:image/png;base64,', '@everyone', '<@&1>', 'NaN',
];
const NUMBERS = [0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, 1e308, -1e-308, 99, 100, 101, 8000, 96001, 604801];

/** A random JSON value, mostly of the shapes the routes expect but wrong in type, range or depth. */
function randomValue(random: Random, ids: string[], depth = 0): unknown {
  const roll = random();
  if (depth > 3 || roll < 0.2) return pick(random, STRINGS);
  if (roll < 0.35) return pick(random, NUMBERS);
  if (roll < 0.45) return pick(random, [true, false, null]);
  if (roll < 0.55) return pick(random, ids);
  if (roll < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, ids, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(random() * 5); i >= 0; i -= 1) object[pick(random, KEYS)] = randomValue(random, ids, depth + 1);
  return object;
}

const MULTIPART_START = '--B\r\nContent-Disposition: form-data; name="payload_json"\r\n\r\n';

/** A request body: random JSON most of the time, sometimes text that is not JSON at all. */
function randomBody(random: Random, ids: string[]): { payload: string; contentType: string } {
  const roll = random();
  if (roll < 0.04) return { payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, contentType: 'application/json' };
  if (roll < 0.08) return { payload: '{"content": "unterminated', contentType: 'application/json' };
  if (roll < 0.11) return { payload: '', contentType: 'application/json' };
  if (roll < 0.13) return { payload: 'content=hello', contentType: 'application/x-www-form-urlencoded' };
  if (roll < 0.15) return { payload: `${MULTIPART_START}{"content":1}`, contentType: 'multipart/form-data; boundary=B' };
  if (roll < 0.17) return { payload: `${MULTIPART_START}{"content":"x"}\r\n--B\r\nContent-Disposition: form-data; name="files[0]"; filename="a.txt"\r\n\r\ncut sh`, contentType: 'multipart/form-data; boundary=B' };
  if (roll < 0.19) return { payload: 'no boundary at all', contentType: 'multipart/form-data' };
  if (roll < 0.21) return { payload: 'plain words', contentType: 'text/plain' };
  return { payload: JSON.stringify(randomValue(random, ids)), contentType: 'application/json' };
}

const BAD_PARAMS = ['0', '-1', 'abc', '99999999999999999999999', '1e3', '%F0%9F%98%80', '%00', '..%2F..%2Fetc', 'x'.repeat(300), '@me', '%20'];
const QUERY_KEYS = ['limit', 'before', 'after', 'around', 'with_counts', 'query', 'user_ids'];

/** Whether a refusal's body is Discord's `{code, message}` (or the 429 body `{message, retry_after}`). */
function describesError(text: string): boolean {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; retry_after?: unknown };
    return typeof body.message === 'string' && (typeof body.code === 'number' || typeof body.retry_after === 'number');
  } catch {
    return false;
  }
}

describe('fuzz', () => {
  let test: TestServer;
  const errorLogs: string[] = [];

  beforeAll(async () => {
    // Error-level log lines are what a 500 or a failed gateway handler leaves; there must be none.
    const errors = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        errorLogs.push(chunk.toString());
        callback();
      },
    });
    test = await startTestServer({ identifyLimit: 100_000 }, { logger: createLogger('error', errors) });
  }, 30_000);

  afterAll(async () => {
    await test.close();
  });

  /**
   * Tokens of one user from as many sign-ins: route buckets count per token, so spreading the
   * requests over them lets most reach their handler instead of a 429.
   */
  async function signIns(user: TestUser, count: number, net: number): Promise<string[]> {
    const tokens: string[] = [];
    // One after another: parallel sign-ins to one account would meet its attempt limit.
    for (let i = 0; i < count; i += 1) {
      const response = await test.server.app.inject({
        method: 'POST', url: '/api/v10/auth/login', payload: { login: user.username, password: 'correct horse battery' }, remoteAddress: `10.250.${net}.${i}`,
      });
      tokens.push((response.json() as { token: string }).token);
    }
    return tokens;
  }

  it('answers every registered route with a non-5xx status and an error code for every refusal', async () => {
    const random = seededRandom(SEED);
    const routes = registeredRoutes(test.server.app.printRoutes({ commonPrefix: false })).filter(fuzzable);
    // The table is the server's own: a route registered tomorrow is fuzzed tomorrow.
    expect(routes.length).toBeGreaterThan(50);
    expect(routes).toContainEqual({ method: 'PATCH', url: '/api/v10/guilds/:guildId/channels' });
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // A fresh world each round: the fuzz deletes guilds, channels and roles as it goes.
      const owner = await registerUser(test.url);
      const member = await registerUser(test.url);
      const world = await createGuild(test.url, owner);
      await joinGuild(test.url, owner, world.general.id, member);
      const message = (await api<Message>(test.url, 'POST', `/channels/${world.general.id}/messages`, { token: owner.token, body: { content: 'fuzz me' } })).body;
      const role = (await api<Role>(test.url, 'POST', `/guilds/${world.guild.id}/roles`, { token: owner.token, body: { name: 'fuzzed' } })).body;
      const invite = (await api<{ code: string }>(test.url, 'POST', `/channels/${world.general.id}/invites`, { token: owner.token, body: {} })).body;
      const ids = [world.guild.id, world.general.id, world.voice.id, message.id, role.id, owner.id, member.id];
      const realParams: Record<string, string[]> = {
        guildId: [world.guild.id], channelId: [world.general.id, world.voice.id], messageId: [message.id], roleId: [role.id, world.guild.id],
        userId: [owner.id, member.id, '@me'], overwriteId: [member.id, role.id], code: [invite.code], emoji: [encodeURIComponent('👍')],
        applicationId: ['1'], attachmentId: ['1'], ownerId: [owner.id], file: ['a.png'], filename: ['a.txt'],
      };
      const tokens = [...(await signIns(owner, 24, round)), ...(await signIns(member, 8, 100 + round))];
      for (let i = 0; i < REQUESTS_PER_ROUND; i += 1) {
        const route = pick(random, routes);
        const path = route.url.replace(/:(\w+)/g, (_all, name: string) =>
          random() < 0.6 ? pick(random, realParams[name] ?? BAD_PARAMS) : pick(random, BAD_PARAMS));
        const query = random() < 0.3 ? `?${pick(random, QUERY_KEYS)}=${encodeURIComponent(String(pick(random, [...STRINGS.slice(0, 12), ...NUMBERS])))}` : '';
        const headers: Record<string, string> = {};
        // A fifth go without a token; logging out would revoke one of the round's tokens.
        if (random() < 0.8 && !route.url.endsWith('/auth/logout')) {
          const token = pick(random, tokens);
          headers.authorization = random() < 0.95 ? token : pick(random, ['Bot x', 'garbage', `${token}x`]);
        }
        let payload: string | undefined;
        if (route.method !== 'GET' && random() < 0.9) {
          const body = randomBody(random, ids);
          payload = body.payload;
          headers['content-type'] = body.contentType;
        }
        // From an address of its own, clear of the per-address buckets the round's setup uses.
        const remoteAddress = `10.251.${round}.${i % 250}`;
        const response = await test.server.app.inject({ method: route.method as 'GET', url: `${path}${query}`, headers, remoteAddress, ...(payload === undefined ? {} : { payload }) });
        const what = `${route.method} ${path}${query} ${payload?.slice(0, 120) ?? ''} → ${response.statusCode} ${response.body.slice(0, 200)}`;
        if (response.statusCode >= 500) failures.push(what);
        else if (response.statusCode >= 400 && route.url.startsWith('/api/v10/')) {
          if (!describesError(response.body)) failures.push(`no error code: ${what}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(errorLogs).toEqual([]);
  }, 120_000);

  it('closes a gateway connection sent any malformed payload with a 4xxx code, or keeps serving it', async () => {
    const random = seededRandom(SEED + 1);
    const user = await registerUser(test.url);
    const ops = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 40, 41, 42, 99, -1, 1.5];
    const allowed = new Set([4001, 4002, 4003, 4004, 4005, 4007, 4008, 4010, 4012, 4013, 4014]);
    const failures: string[] = [];
    for (let i = 0; i < GATEWAY_CASES; i += 1) {
      const identify = random() < 0.7;
      const client = identify
        ? (await GatewayTestClient.identified(test.url, user.token)).client
        : await GatewayTestClient.connect(test.url);
      if (!identify) await client.hello();
      const roll = random();
      const frame = roll < 0.1
        ? pick(random, ['', 'null', '[]', '{"op":', '"op"', `{"op":1,"d":${'['.repeat(1000)}${']'.repeat(1000)}}`, '{"op":"2"}'])
        : JSON.stringify({ op: pick(random, ops), d: randomValue(random, [user.id]), s: pick(random, [null, 1, 'x']), t: pick(random, [null, 'READY', 1]) });
      // Now and then as a binary frame, which a JSON connection refuses whatever it holds.
      client.sendRaw(random() < 0.05 ? Buffer.from(frame) : frame);
      // A heartbeat after it: either the connection was closed, or it still answers.
      client.send({ op: 1, d: null });
      const outcome = await Promise.race([
        client.closed.then((close) => ({ close })),
        client.waitUntil(() => client.received.some((p) => p.op === 11), 5000).then(() => ({ close: undefined })),
      ]).catch(() => ({ close: undefined }));
      if (outcome.close && !allowed.has(outcome.close.code)) failures.push(`${frame.slice(0, 200)} → ${outcome.close.code} ${outcome.close.reason}`);
      client.terminate();
    }
    expect(failures).toEqual([]);
    expect(errorLogs).toEqual([]);
  }, 120_000);
});
