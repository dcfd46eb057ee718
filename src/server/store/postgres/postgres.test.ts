import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Channel, Message } from '../../../shared/protocol/entities.js';
import type { AuthResponse } from '../../../shared/protocol/rest.js';
import { ConfigError, loadConfig } from '../../config.js';
import { describeStoreContract } from '../contract/index.js';
import { api, createGuild, registerUser } from '../../test-support/api.js';
import { postgresMissing, startTestPostgres, type TestPostgres } from '../../test-support/postgres.js';
import { skipWhenMissing } from '../../test-support/requirements.js';
import { makeTempDataDir, startTestServer } from '../../test-support/server.js';
import type { MemberRecord, MessageRecord, Store } from '../store.js';
import { HISTORY_SQL } from './messages.js';
import { openPostgresStore } from './index.js';
import { POSTGRES_MIGRATIONS } from './schema.js';

let server: TestPostgres;
let contractUrl: string;

// One server per file. The contract cases share one migrated database, emptied before each case.
// Where no PostgreSQL can be had (and not under CI) every suite here is skipped, saying why.
const needsPostgres = skipWhenMissing(postgresMissing);

beforeAll(async () => {
  if (postgresMissing !== undefined) return;
  server = await startTestPostgres();
  contractUrl = await server.createDatabase('hearth_contract');
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describeStoreContract('PostgreSQL', async () => {
  await server.clearDatabase(contractUrl);
  return openPostgresStore(contractUrl, { poolSize: 4 });
}, needsPostgres);

/** A new database with the current schema. */
async function migratedDatabase(): Promise<string> {
  const url = await server.createDatabase();
  await (await openPostgresStore(url)).close();
  return url;
}

/** Runs `work` with a plain client on the database at `url`. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

interface PlanNode { 'Node Type': string; 'Index Name'?: string; 'Scan Direction'?: string; Plans?: PlanNode[] }

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

describe('PostgreSQL store', needsPostgres, () => {
  it('serves a history page with one range scan of the messages primary key, without sorting', async () => {
    const url = await migratedDatabase();
    const plans = await withClient(url, async (client) => {
      // 3 channels × 2000 messages, so the planner has a real table to choose plans for.
      await client.query(`INSERT INTO messages (channel_id, id, author_id, content)
        SELECT c, c * 100000 + n, 1, 'm' FROM generate_series(1, 3) AS c, generate_series(1, 2000) AS n`);
      await client.query('ANALYZE messages');
      const explain = async (text: string, values: unknown[]) =>
        ((await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${text}`, values)).rows[0]!['QUERY PLAN'][0].Plan);
      return {
        before: await explain(HISTORY_SQL.before.text, ['2', '201500', 50]),
        latest: await explain(HISTORY_SQL.latest.text, ['2', 50]),
        after: await explain(HISTORY_SQL.after.text, ['2', '200010', 50]),
      };
    });
    for (const [name, plan] of Object.entries(plans)) {
      const nodes = planNodes(plan);
      expect(nodes.map((n) => n['Node Type']), name).not.toContain('Sort');
      expect(nodes.map((n) => n['Node Type']), name).not.toContain('Seq Scan');
      const scan = nodes.find((n) => n['Node Type'] === 'Index Scan');
      expect(scan?.['Index Name'], name).toBe('messages_pkey');
      expect(scan?.['Scan Direction'], name).toBe(name === 'after' ? 'Forward' : 'Backward');
    }
  });

  it('migrates once when several nodes start on an empty database together', async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(url, { poolSize: 2 })));
    await Promise.all(stores.map((s) => s.close()));
    const versions = await withClient(url, async (c) => (await c.query<{ version: number }>('SELECT version FROM schema_version ORDER BY version')).rows);
    // Each migration recorded exactly once.
    expect(versions).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })));
  });

  it('refuses a database whose schema is newer than this Hearth', async () => {
    const url = await migratedDatabase();
    await withClient(url, (c) => c.query('INSERT INTO schema_version (version, applied_at) VALUES (99, 0)'));
    const latest = POSTGRES_MIGRATIONS.at(-1)?.version;
    await expect(openPostgresStore(url)).rejects.toThrow(`The database schema (version 99) is newer than this Hearth (version ${latest})`);
  });

  it('names the database but not its password when it cannot connect', async () => {
    const url = `postgres://hearth:s3cret@127.0.0.1:${server.port}/no_such_database`;
    const failure = openPostgresStore(url, { connectionTimeoutMs: 2000 });
    await expect(failure).rejects.toThrow(/Cannot use the PostgreSQL database postgres:\/\/hearth:\*\*\*@127\.0\.0\.1:\d+\/no_such_database/);
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });

  describe('with a guild', () => {
    let store: Store;
    let url: string;
    const guildId = '1000';
    const member = (userId: string): MemberRecord => ({ guildId, userId, nick: null, joinedAt: 5, mute: false, deaf: false, roleIds: [] });

    beforeAll(async () => {
      url = await server.createDatabase();
      store = await openPostgresStore(url, { poolSize: 8 });
      for (let i = 0; i <= 12; i++) {
        await store.createUser({ id: String(100 + i), username: `user${i}`, globalName: null, avatar: null, bot: false, passwordHash: null, createdAt: 1 });
      }
      await store.createGuild({
        guild: { id: guildId, name: 'g', icon: null, ownerId: '100', systemChannelId: null, createdAt: 1 },
        everyoneRole: { id: guildId, guildId, name: '@everyone', color: 0, hoist: false, mentionable: false, position: 0, permissions: 0n },
        channels: [{ id: '2000', guildId, type: 0, name: 'general', topic: null, parentId: null, position: 0, bitrate: null, userLimit: null, lastMessageId: null, overwrites: [] }],
      });
    });
    afterAll(async () => {
      await store?.close();
    });

    it('counts concurrent uses of one invite exactly up to its limit', async () => {
      await store.createInvite({ code: 'race', guildId, channelId: '2000', inviterId: '100', maxAge: 0, maxUses: 3, uses: 0, temporary: false, createdAt: 1 });
      const joiners = Array.from({ length: 12 }, (_, i) => String(101 + i));
      const results = await Promise.all(joiners.map((userId) => store.useInvite('race', member(userId), 10)));
      expect(results.filter(Boolean)).toHaveLength(3);
      expect((await store.getInvite('race'))?.uses).toBe(3);
      expect(await store.countMembers(guildId)).toBe(4);
    });

    it('shares one history between nodes, whatever order their writes land in', async () => {
      const other = await openPostgresStore(url, { poolSize: 2 });
      try {
        const channelId = '2001';
        await store.createChannel({ id: channelId, guildId, type: 0, name: 'shared', topic: null, parentId: null, position: 1, bitrate: null, userLimit: null, lastMessageId: null, overwrites: [] });
        const message = (id: string): MessageRecord => ({
          id, channelId, guildId, authorId: '100', type: 0, content: `m${id}`, editedAt: null, nonce: null, flags: 0, pinned: false,
          tts: false, mentionEveryone: false, mentionIds: [], mentionRoleIds: [], attachments: [], embeds: [], referenceMessageId: null,
        });
        await other.createMessage(message('7003'));
        await Promise.all([store.createMessage(message('7001')), other.createMessage(message('7002'))]);
        expect((await store.listMessages(channelId, { limit: 10 })).map((m) => m.id)).toEqual(['7003', '7002', '7001']);
        expect((await other.getChannel(channelId))?.lastMessageId).toBe('7003');
      } finally {
        await other.close();
      }
    });

    it('keeps permission bit sets beyond 2^53 exact', async () => {
      const permissions = (1n << 62n) | 8n;
      await store.createRole({ id: '3000', guildId, name: 'big', color: 0, hoist: false, mentionable: false, position: 1, permissions });
      expect((await store.listRoles(guildId)).find((r) => r.id === '3000')?.permissions).toBe(permissions);
    });

    it('drops U+0000, which PostgreSQL text cannot hold, instead of failing the write', async () => {
      const message: MessageRecord = {
        id: '5000', channelId: '2000', guildId, authorId: '100', type: 0, content: 'a\u0000b', editedAt: null, nonce: null, flags: 0,
        pinned: false, tts: false, mentionEveryone: false, mentionIds: [], mentionRoleIds: [], attachments: [],
        embeds: [{ title: 'x\u0000y' }], referenceMessageId: null,
      };
      await store.createMessage(message);
      expect(await store.getMessage('2000', '5000')).toMatchObject({ content: 'ab', embeds: [{ title: 'xy' }] });
      await store.updateGuild(guildId, { name: 'g\u0000!' });
      expect((await store.getGuild(guildId))?.name).toBe('g!');
    });

    it('finds nothing, without failing, for IDs beyond the BIGINT range', async () => {
      const huge = '18446744073709551615';
      expect(await store.getUser(huge)).toBeUndefined();
      expect(await store.getMessage('2000', huge)).toBeUndefined();
      expect(await store.getMember(guildId, huge)).toBeUndefined();
      expect(await store.listMembers(guildId, { after: huge, limit: 10 })).toEqual([]);
    });
  });
});

describe('Hearth server on PostgreSQL', needsPostgres, () => {
  it('is chosen by --database or HEARTH_DATABASE_URL, and refuses other URLs without echoing them', () => {
    const url = 'postgres://hearth:pw@db.example.org:5432/hearth';
    expect(loadConfig(['--database', url], {})).toMatchObject({ database: url, databasePoolSize: 10 });
    expect(loadConfig([], { HEARTH_DATABASE_URL: url, HEARTH_DATABASE_POOL_SIZE: '25' })).toMatchObject({ database: url, databasePoolSize: 25 });
    expect(loadConfig([], {})).not.toHaveProperty('database');
    expect(() => loadConfig(['--database', 'mysql://root:topsecret@db/x'], {})).toThrow(ConfigError);
    expect(() => loadConfig(['--database', 'mysql://root:topsecret@db/x'], {})).toThrow(/--database \(HEARTH_DATABASE_URL\): must be a postgres:\/\/ URL/);
    expect(() => loadConfig(['--database', 'mysql://root:topsecret@db/x'], {})).not.toThrow(/topsecret/);
  });

  it('keeps at most --database-pool-size connections open, however many requests arrive together', async () => {
    const database = await server.createDatabase();
    const node = await startTestServer({ database, databasePoolSize: 2 });
    try {
      const alice = await registerUser(node.url, 'pooled', 'correct horse battery');
      const replies = await Promise.all(Array.from({ length: 16 }, () => api(node.url, 'GET', '/users/@me', { token: alice.token })));
      expect(replies.map((r) => r.status)).toEqual(Array.from({ length: 16 }, () => 200));
      const databaseName = new URL(database).pathname.slice(1);
      const open = await withClient(server.url, async (c) =>
        Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [databaseName])).rows[0]?.n));
      expect(open).toBeGreaterThanOrEqual(1);
      expect(open).toBeLessThanOrEqual(2);
    } finally {
      await node.close();
    }
  });

  it('serves /healthz and keeps users, guilds and messages across a restart', async () => {
    const database = await server.createDatabase();
    const first = await startTestServer({ database });
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    const alice = await registerUser(first.url, 'alice', 'correct horse battery');
    const { guild, general } = await createGuild(first.url, alice, 'Persistent');
    const sent = await api<Message>(first.url, 'POST', `/channels/${general.id}/messages`, { token: alice.token, body: { content: 'still here?' } });
    expect(sent.status).toBe(200);
    await first.close();

    // A new node with a new data directory: everything must come from PostgreSQL.
    const second = await startTestServer({ database, dataDir: makeTempDataDir() });
    try {
      const login = await api<AuthResponse>(second.url, 'POST', '/auth/login', { body: { login: 'alice', password: 'correct horse battery' } });
      expect(login.status).toBe(200);
      expect(login.body.user_id).toBe(alice.id);
      const channels = await api<Channel[]>(second.url, 'GET', `/guilds/${guild.id}/channels`, { token: login.body.token });
      expect(channels.body.map((c) => c.id)).toContain(general.id);
      const history = await api<Message[]>(second.url, 'GET', `/channels/${general.id}/messages`, { token: login.body.token });
      expect(history.body.map((m) => [m.id, m.content])).toEqual([[sent.body.id, 'still here?']]);
      expect(fs.existsSync(path.join(second.dataDir, 'hearth.db'))).toBe(false);
    } finally {
      await second.close();
    }
  });
});

describe('startTestPostgres', needsPostgres, () => {
  it('runs a server that answers on 127.0.0.1', async () => {
    const address = await withClient(server.url, async (c) => (await c.query<{ v: string }>("SELECT current_setting('listen_addresses') AS v")).rows[0]?.v);
    expect(address).toBe('127.0.0.1');
  });
});
