// Client: the web client the server serves at `/`, in Debian's Chromium (playwright-core, never a
// downloaded browser). Renderer JS size (gzipped) from dist/renderer; cold load to first message
// painted for a returning, signed-in user with an empty HTTP cache; renderer memory with many
// messages loaded live in the open channel.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { readTokens, USER_AGENT } from '../loadgen/common.mjs';
import { postMessages } from '../loadgen/scenarios/connection.mjs';
import { RestClient, SenderPool } from '../loadgen/rest.mjs';
import { root } from '../lib/server.mjs';
import { firstMessageTiming, paintObserver, rememberSession, scrollLogToEnd } from './client-page.mjs';

const RENDERER = path.join(root, 'dist/renderer');
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const MIB = 2 ** 20;

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
 * @param {{ history: number, liveMessages: number }} size
 * @returns {Promise<import('./types.mjs').ScenarioResult>}
 */
export async function runClient(ctx, size) {
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
    const runs = [];
    for (let run = 0; run < ctx.runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(rememberSession, session);
      await context.addInitScript(paintObserver);
      const page = await context.newPage();
      await page.goto(server.url);
      const timing = /** @type {{ found: number, painted: number }} */ (await (await page.waitForFunction(firstMessageTiming, null, { timeout: 30_000 })).jsonValue());
      await context.close();
      // Each run loads its own batch of live messages into a fresh page: memory is a repeated figure too.
      const firstLive = size.history + run * size.liveMessages;
      runs.push({ firstMessagePaintedMs: timing.painted, ...jsSize, ...(await memoryWithMessages(browser, session, rest, senders, firstLive, size.liveMessages)) });
    }
    return { params: { historyInChannel: size.history, liveMessages: size.liveMessages, viewport: '1280x800', chromium: browser.version() }, runs };
  } finally {
    await browser.close();
    rest.close();
    await server.stop();
  }
}

/**
 * Opens the channel, has `liveMessages` arrive while it is open, and reads the renderer's JS heap
 * (after a collection) and DOM size through the DevTools protocol.
 * @param {import('playwright-core').Browser} browser
 * @param {{ url: string, token: string, user: unknown, guildId: string, channelId: string }} session
 * @param {RestClient} rest
 * @param {SenderPool} senders
 * @param {number} firstIndex benchmark index of the first live message
 * @param {number} count live messages
 */
async function memoryWithMessages(browser, session, rest, senders, firstIndex, count) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(rememberSession, session);
  const page = await context.newPage();
  await page.goto(session.url);
  await page.locator('[role="log"] article').first().waitFor({ timeout: 30_000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (/** @type {string} */ name) => metrics.find((m) => m.name === name)?.value ?? 0;
    return { heap: value('JSHeapUsedSize'), nodes: value('Nodes') };
  };
  const before = await measure();
  const last = firstIndex + count - 1;
  await postMessages(rest, senders, session.channelId, firstIndex, count, 16);
  await waitForMessage(page, `bench-${last} `, 180_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await measure();
  await context.close();
  return {
    rendererHeapBeforeMiB: before.heap / MIB,
    rendererHeapWithMessagesMiB: after.heap / MIB,
    heapPerMessageKiB: (after.heap - before.heap) / count / 1024,
    domNodesWithMessages: after.nodes,
  };
}

/**
 * Waits until a message with this text is in the log, scrolling to the end as a reader would
 * (the list is virtualized: only what is in view is in the DOM).
 * @param {import('playwright-core').Page} page
 * @param {string} text
 * @param {number} timeoutMs
 */
async function waitForMessage(page, text, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  const message = page.locator('[role="log"] article', { hasText: text });
  while ((await message.count()) === 0) {
    if (performance.now() > deadline) throw new Error(`The web client did not show "${text.trim()}" within ${timeoutMs / 1000} s`);
    await page.evaluate(scrollLogToEnd);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
