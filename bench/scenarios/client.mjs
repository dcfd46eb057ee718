// Client: the web client the server serves at `/`, in Debian's Chromium (playwright-core, never a
// downloaded browser). Renderer JS size (gzipped) from dist/renderer; cold load to first message
// painted for a returning, signed-in user with an empty HTTP cache; renderer memory with every
// message of a large channel loaded, by scrolling back through its history as a reader does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { readTokens, USER_AGENT } from '../loadgen/common.mjs';
import { postMessages } from '../loadgen/scenarios/connection.mjs';
import { RestClient, SenderPool } from '../loadgen/rest.mjs';
import { root } from '../lib/server.mjs';
import { distanceFromLogEnd, firstMessageTiming, paintObserver, rememberSession, scrollLogToEnd, scrollLogToStart, userAgentMemory } from './client-page.mjs';

const RENDERER = path.join(root, 'dist/renderer');
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const MIB = 2 ** 20;
/** Messages in the page a channel opens with (the client's page size, Discord's default). */
const NEWEST_PAGE = 50;
/** Live messages per second once the channel is loaded: a busy channel, well within what a reader can follow. */
const LIVE_RATE = 20;

/** The Chromium to drive: CHROMIUM_PATH or Debian's; a clear error naming the fix otherwise. */
export function findChromium() {
  const found = [process.env.CHROMIUM_PATH, ...CHROMIUM_CANDIDATES].find((candidate) => candidate && fs.existsSync(candidate));
  if (!found) throw new Error('No Chromium: install Debian\'s (apt-get install chromium) or set CHROMIUM_PATH');
  return found;
}

/**
 * Builds the app (electron-vite) when dist/renderer is missing, or older than its sources unless
 * `whenMissingOnly`.
 * @param {{ whenMissingOnly?: boolean }} options
 */
function ensureRendererBuilt(options) {
  const index = path.join(RENDERER, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  if (built > 0 && options.whenMissingOnly) return;
  const newest = (/** @type {string} */ dir) => {
    let latest = 0;
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) latest = Math.max(latest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
    return latest;
  };
  if (built >= Math.max(...['src/renderer', 'src/client', 'src/shared'].map((d) => newest(path.join(root, d))))) return;
  const result = spawnSync('npm', ['run', '--silent', 'build:app'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build:app failed');
}

/** Gzipped size (zlib level 9, as a server's static compression) of the renderer's JavaScript. */
export function rendererJsSize() {
  const html = fs.readFileSync(path.join(RENDERER, 'index.html'), 'utf8');
  const initial = new Set([...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\.?\/?([^"]+\.js)"/g)].map((m) => /** @type {string} */ (m[1])));
  let initialGzip = 0;
  let totalGzip = 0;
  let totalRaw = 0;
  for (const entry of fs.readdirSync(RENDERER, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const bytes = fs.readFileSync(file);
    const gzip = zlib.gzipSync(bytes, { level: 9 }).length;
    totalRaw += bytes.length;
    totalGzip += gzip;
    if (initial.has(path.relative(RENDERER, file))) initialGzip += gzip;
  }
  // Kilobytes of 1,000 bytes, as the "300 KB gzipped" target is stated.
  return { initialJsGzipKB: initialGzip / 1000, totalJsGzipKB: totalGzip / 1000, totalJsRawKB: totalRaw / 1000 };
}

/**
 * @param {import('./types.mjs').BenchContext} ctx
 * @param {{ history: number, loadedMessages: number, liveMessages: number }} size `history` messages in the channel for the cold loads,
 *   `loadedMessages` for the memory runs, `liveMessages` arriving once they are all loaded
 * @returns {Promise<import('./types.mjs').ScenarioResult>}
 */
export async function runClient(ctx, size) {
  if (size.loadedMessages < size.history) throw new Error('loadedMessages must be at least history');
  ensureRendererBuilt({ whenMissingOnly: ctx.existingBuild });
  const jsSize = rendererJsSize();
  const pool = ctx.pools.community;
  const guild = pool?.guilds[0];
  if (!pool || !guild) throw new Error('The seed has no community guild');
  const tokens = readTokens(pool.tokensFile);
  const reader = /** @type {string} */ (tokens[0]);
  const server = await ctx.startServer();
  const rest = new RestClient({ baseUrl: server.url, userAgent: USER_AGENT });
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  try {
    const senders = new SenderPool(tokens.slice(1));
    await postMessages(rest, senders, guild.channelId, 0, size.history, 8);
    const session = { url: server.url, token: reader, user: await rest.expectOk('GET', '/users/@me', { token: reader }), guildId: guild.id, channelId: guild.channelId };
    /** @type {Record<string, number | undefined>[]} */
    const runs = [];
    for (let run = 0; run < ctx.runs; run++) runs.push({ firstMessagePaintedMs: await coldLoad(browser, session), ...jsSize });
    // The channel grows to its full size once; every memory run reads all of it back.
    const filling = performance.now();
    await postMessages(rest, senders, guild.channelId, size.history, size.loadedMessages - size.history, 16);
    ctx.log(`bench: client: channel filled to ${size.loadedMessages} messages in ${Math.round((performance.now() - filling) / 1000)} s`);
    let nextIndex = size.loadedMessages;
    for (const figures of runs) {
      Object.assign(figures, await memoryWithHistory(browser, session, size.loadedMessages, { rest, senders, firstIndex: nextIndex, count: size.liveMessages }));
      nextIndex += size.liveMessages;
    }
    return { params: { historyAtColdLoad: size.history, messagesLoaded: size.loadedMessages, loadedBy: 'scrolling back to the channel start', liveMessages: size.liveMessages, livePerSecond: LIVE_RATE, viewport: '1280x800', chromium: browser.version() }, runs };
  } finally {
    await browser.close();
    rest.close();
    await server.stop();
  }
}

/**
 * One cold load (fresh browser context: empty HTTP cache, the session in localStorage): navigation
 * start → the frame after the first message entered the message log, in milliseconds.
 * @param {import('playwright-core').Browser} browser
 * @param {{ url: string, token: string, user: unknown, guildId: string, channelId: string }} session
 */
async function coldLoad(browser, session) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(rememberSession, session);
    await context.addInitScript(paintObserver);
    const page = await context.newPage();
    await page.goto(session.url);
    const timing = /** @type {{ found: number, painted: number }} */ (await (await page.waitForFunction(firstMessageTiming, null, { timeout: 30_000 })).jsonValue());
    return timing.painted;
  } finally {
    await context.close();
  }
}

/**
 * Opens the channel in a fresh page and scrolls back through its history, page by page as a
 * reader would, until its first message: then every message of the channel is held by the client.
 * The renderer's JS heap (after a forced collection) is read through the DevTools protocol with
 * the newest page only and with everything loaded. Then, back at the present, live messages
 * arrive at {@link LIVE_RATE} per second: the main thread's task time per message says what a
 * busy channel costs a client holding that much.
 * @param {import('playwright-core').Browser} browser
 * @param {{ url: string, token: string, user: unknown, guildId: string, channelId: string }} session
 * @param {number} messages messages in the channel
 * @param {{ rest: RestClient, senders: SenderPool, firstIndex: number, count: number }} live
 */
async function memoryWithHistory(browser, session, messages, live) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(rememberSession, session);
    const page = await context.newPage();
    await page.goto(session.url);
    await page.locator('[role="log"] article').first().waitFor({ timeout: 30_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metric = async (/** @type {string} */ name) => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === name)?.value ?? 0;
    const measure = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return { heap: await metric('JSHeapUsedSize'), nodes: await metric('Nodes'), agentBytes: await page.evaluate(userAgentMemory) };
    };
    const before = await measure();
    const started = performance.now();
    // Five minutes per 10,000 messages (two at the least), for a machine shared with other work.
    await page.waitForFunction(scrollLogToStart, null, { polling: 50, timeout: Math.max(120_000, messages * 30) });
    const historySeconds = (performance.now() - started) / 1000;
    // The oldest message is on screen: the client paged all the way back without a gap error.
    await page.locator('[role="log"] article', { hasText: 'bench-0 ' }).first().waitFor({ timeout: 10_000 });
    const after = await measure();
    await page.waitForFunction(scrollLogToEnd, null, { polling: 100, timeout: 30_000 });
    const busyBefore = await metric('TaskDuration');
    await postPaced(live.rest, live.senders, session.channelId, live.firstIndex, live.count);
    // The view stays at the present, so the newest message enters the DOM once handled.
    const newest = `bench-${live.firstIndex + live.count - 1} `;
    await page.locator('[role="log"] article', { hasText: newest }).first().waitFor({ timeout: 60_000 }).catch(async (error) => {
      throw new Error(`${error instanceof Error ? error.message : error} (the log was ${await page.evaluate(distanceFromLogEnd)} px from its end)`);
    });
    const busySeconds = (await metric('TaskDuration')) - busyBefore;
    const added = messages - Math.min(messages, NEWEST_PAGE);
    return {
      messagesLoaded: messages,
      historyLoadSeconds: historySeconds,
      rendererHeapNewestPageMiB: before.heap / MIB,
      rendererHeapWithMessagesMiB: after.heap / MIB,
      heapPerMessageKiB: added > 0 ? (after.heap - before.heap) / added / 1024 : undefined,
      domNodesWithMessages: after.nodes,
      liveMessageTaskMs: (busySeconds * 1000) / live.count,
      // Only where the page is cross-origin isolated (Chromium's precondition); undefined otherwise.
      userAgentMemoryWithMessagesMiB: after.agentBytes === null ? undefined : after.agentBytes / MIB,
    };
  } finally {
    await context.close();
  }
}

/**
 * Posts `count` benchmark messages at {@link LIVE_RATE} per second (in steps of a tenth of a second).
 * @param {RestClient} rest
 * @param {SenderPool} senders
 * @param {string} channelId
 * @param {number} firstIndex
 * @param {number} count
 */
async function postPaced(rest, senders, channelId, firstIndex, count) {
  const started = performance.now();
  const perStep = LIVE_RATE / 10;
  for (let sent = 0; sent < count; sent += perStep) {
    const due = started + (sent / LIVE_RATE) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    await postMessages(rest, senders, channelId, firstIndex + sent, Math.min(perStep, count - sent), perStep);
  }
}
