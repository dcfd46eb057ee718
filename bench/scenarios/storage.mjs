// Storage: the message store of the built server (dist/), used directly on a fresh SQLite file with
// the server's own settings (WAL, synchronous=FULL). The channel is filled to its size in
// transactions of 1,000 (as an import would); then each run stores messages as the API does (one
// durable transaction each) and reads the newest-50 page — what a client opens a channel with —
// and pages before random points.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { latencySummary } from '../lib/stats.mjs';
import { root } from '../lib/server.mjs';

const BULK_TRANSACTION = 1000;

const LINES = [
  'gg wp',
  'anyone up for ranked?',
  'the patch broke my keybinds again',
  'ok so the plan is we rotate B after first pick and hold the flank with utility',
  'lol',
  'new clip: that flick was unreal',
  'brb dinner',
  'who is hosting tonight? I can bring the snacks and the spare controller',
];

/** @param {string} relative a module under dist/ */
async function load(relative) {
  return import(pathToFileURL(path.join(root, 'dist', relative)).href);
}

/**
 * @param {string} id
 * @param {string} channelId
 * @param {string} guildId
 * @param {string} authorId
 * @param {number} n
 */
function message(id, channelId, guildId, authorId, n) {
  return {
    id, channelId, guildId, authorId, type: 0, content: LINES[n % LINES.length], editedAt: null, nonce: null, flags: 0,
    pinned: false, tts: false, mentionEveryone: false, mentionIds: [], mentionRoleIds: [], attachments: [], embeds: [], referenceMessageId: null,
  };
}

/**
 * @param {import('./types.mjs').BenchContext} ctx
 * @param {{ messages: number, durableInserts: number, reads: number }} size
 */
export async function runStorage(ctx, size) {
  const { openSqlite, migrateSqlite } = await load('server/store/sqlite/database.js');
  const { SQLITE_MIGRATIONS } = await load('server/store/schema.js');
  const { sqliteMessageStore } = await load('server/store/sqlite/messages.js');
  const { sqliteGuildStore } = await load('server/store/sqlite/guilds.js');
  const { sqliteAccountStore } = await load('server/store/sqlite/accounts.js');
  const { SnowflakeGenerator } = await load('shared/snowflake.js');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-storage-'));
  const db = openSqlite(path.join(dir, 'hearth.db'));
  try {
    migrateSqlite(db, SQLITE_MIGRATIONS);
    const ids = new SnowflakeGenerator({ workerId: 1 });
    const messages = sqliteMessageStore(db);
    const { userId, guildId, channelId } = await createChannel(sqliteAccountStore(db), sqliteGuildStore(db), ids);
    const next = (/** @type {number} */ n) => message(ids.next(), channelId, guildId, userId, n);

    // Fill the channel in transactions (createMessage's own transaction nests as a savepoint).
    const bulk = db.transaction((/** @type {number} */ from, /** @type {number} */ to) => {
      for (let n = from; n < to; n++) void messages.createMessage(next(n));
    });
    let start = performance.now();
    for (let n = 0; n < size.messages; n += BULK_TRANSACTION) bulk(n, Math.min(size.messages, n + BULK_TRANSACTION));
    const bulkInsertsPerSecond = size.messages / ((performance.now() - start) / 1000);
    ctx.log(`storage: ${size.messages.toLocaleString('en-US')} messages in the channel`);

    const oldest = (await messages.listMessages(channelId, { after: '0', limit: 1 }))[0]?.id;
    const runs = [];
    for (let run = 0; run < ctx.runs; run++) {
      // One durable transaction per message, as POST /channels/:id/messages stores it, into the full channel.
      start = performance.now();
      for (let n = 0; n < size.durableInserts; n++) await messages.createMessage(next(n));
      const durableInsertsPerSecond = size.durableInserts / ((performance.now() - start) / 1000);
      const newest = (await messages.listMessages(channelId, { limit: 1 }))[0]?.id;
      const newestPage = await timeReads(size.reads, () => messages.listMessages(channelId, { limit: 50 }));
      const olderPage = await timeReads(size.reads, () => messages.listMessages(channelId, { before: randomBetween(oldest, newest), limit: 50 }));
      runs.push({
        durableInsertsPerSecond,
        newestPageP50Ms: newestPage.p50,
        newestPageP99Ms: newestPage.p99,
        olderPageP50Ms: olderPage.p50,
        olderPageP99Ms: olderPage.p99,
      });
    }
    const fileBytes = fs.statSync(path.join(dir, 'hearth.db')).size + walSize(dir);
    return {
      params: { messages: size.messages, durableInsertsPerRun: size.durableInserts, readsPerRun: size.reads, pageSize: 50 },
      runs,
      // Filling the channel happens once, so its rate is one measurement: kept as a detail, not a figure.
      details: { databaseBytes: fileBytes, bulkFillInsertsPerSecond: bulkInsertsPerSecond, bulkTransactionSize: BULK_TRANSACTION },
    };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {string} dir */
function walSize(dir) {
  const wal = path.join(dir, 'hearth.db-wal');
  return fs.existsSync(wal) ? fs.statSync(wal).size : 0;
}

/**
 * A user, a guild and its text channel, made through the store as the API would.
 * @param {any} accounts
 * @param {any} guilds
 * @param {any} ids
 */
async function createChannel(accounts, guilds, ids) {
  const now = Date.now();
  const userId = ids.next();
  await accounts.createUser({ id: userId, username: `storage_bench_${userId}`, globalName: null, avatar: null, bot: false, passwordHash: null, createdAt: now });
  const guildId = ids.next();
  const channelId = ids.next();
  await guilds.createGuild({
    guild: { id: guildId, name: 'Storage bench', icon: null, ownerId: userId, systemChannelId: channelId, createdAt: now },
    everyoneRole: { id: guildId, guildId, name: '@everyone', color: 0, hoist: false, mentionable: false, position: 0, permissions: 0n },
    channels: [{ id: channelId, guildId, type: 0, name: 'general', topic: null, parentId: null, position: 0, bitrate: null, userLimit: null, lastMessageId: null, overwrites: [] }],
  });
  return { userId, guildId, channelId };
}

/**
 * Latency summary (ms) of `count` sequential calls.
 * @param {number} count
 * @param {() => Promise<unknown>} read
 */
async function timeReads(count, read) {
  /** @type {number[]} */
  const samples = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await read();
    samples.push(performance.now() - start);
  }
  return latencySummary(samples);
}

/**
 * A random snowflake between two, as a scroll-back position.
 * @param {string | undefined} low
 * @param {string | undefined} high
 */
function randomBetween(low, high) {
  if (!low || !high) return '0';
  const span = BigInt(high) - BigInt(low);
  return (BigInt(low) + (span * BigInt(Math.floor(Math.random() * 1e6))) / 1_000_000n).toString();
}
