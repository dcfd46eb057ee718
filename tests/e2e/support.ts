/**
 * The e2e harness: the built Hearth server in a child process (temporary data directory, free
 * port) and Debian's Chromium driven by playwright-core. Never downloads a browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Flags that make headless Chromium work on a closed-network CI machine with fake media devices. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/** Chromium's command names, looked up on PATH after the usual Debian/Ubuntu locations. */
const CHROMIUM_COMMANDS = ['chromium', 'chromium-browser', 'google-chrome'];

/**
 * The Chromium to drive: `CHROMIUM_PATH`, else Debian's `chromium` (or another Chromium/Chrome on
 * PATH). Throws how to install one: the e2e step must fail, never skip, without a browser.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env, candidates: readonly string[] = CHROMIUM_CANDIDATES): string {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist. Point it at a Chromium/Chrome binary, or unset it to use Debian's \`chromium\`.`);
    return fromEnv;
  }
  const onPath = (env.PATH ?? '').split(path.delimiter).filter(Boolean).flatMap((dir) => CHROMIUM_COMMANDS.map((name) => path.join(dir, name)));
  const found = [...candidates, ...onPath].find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(
      'No Chromium found for the end-to-end tests. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
        'or point CHROMIUM_PATH at a Chromium/Chrome binary.',
    );
  }
  return found;
}

export interface RunningServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Stops the server (SIGTERM, then waits); removes its data unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Starts `node dist/server/index.js` on a free port with a fresh (or given) data directory. */
export async function startServer(options: { dataDir?: string; args?: string[] } = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-'));
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'dist/server/index.js'), '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...(options.args ?? [])],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s:\n${stdout}\n${stderr}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Hearth is running at (\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    url,
    dataDir,
    process: child,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launches Debian's Chromium headless with a fresh profile (plus `extraArgs`, e.g. a fake microphone file). */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** A new isolated browser context (its own storage: one user) and page. */
export async function newUserPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  return { context, page };
}

const screenshotDir = path.join(repoRoot, 'test-results/screenshots');

/** Saves a full-page screenshot as a test artifact under test-results/screenshots/. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Registers a new account through the web client's sign-in screen and waits for the app. */
export async function registerInBrowser(page: Page, username: string, displayName: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in to Hearth' }).waitFor();
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('navigation', { name: 'Servers' }).waitFor();
}
