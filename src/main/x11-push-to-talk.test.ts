/**
 * Push-to-talk on X11 with the real pieces: Xvfb as the X server, xdotool as the keyboard, the
 * real uiohook-napi hook, and the display probe that keeps a set-but-unreachable DISPLAY from
 * reaching the hook (whose start then blocks or aborts the process).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PushToTalk } from './push-to-talk.js';
import { PushToTalkInputs, type InputHook } from './ptt-input.js';
import { availabilityOf, choosePushToTalkSource } from './ptt-platform.js';
import { parseDisplay, probeXDisplay } from './x-display.js';

/** Debian's xvfb, xdotool and xauth (`.ci/run` installs them). */
const jitiCli = path.resolve(import.meta.dirname, '../../node_modules/jiti/lib/jiti-cli.mjs');
const hasXvfb = spawnSync('sh', ['-c', 'command -v Xvfb && command -v xdotool && command -v xauth && command -v mcookie']).status === 0;

interface RunningX {
  display: string;
  stop(): Promise<void>;
}

/** Starts Xvfb on a free display (it picks and reports the number); with `authFile`, it requires that cookie. */
async function startXvfb(authFile?: string): Promise<RunningX> {
  const args = ['-displayfd', '1', '-nolisten', 'tcp', '-screen', '0', '640x480x24', ...(authFile ? ['-auth', authFile] : [])];
  const server: ChildProcess = spawn('Xvfb', args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const number = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    server.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
  return {
    display: `:${number}`,
    stop: async () => {
      if (server.exitCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill();
      await exited;
    },
  };
}

/** A display number nobody serves. */
function unusedDisplay(): string {
  for (let n = 150; n < 250; n++) if (!fs.existsSync(`/tmp/.X11-unix/X${n}`) && !fs.existsSync(`/tmp/.X${n}-lock`)) return `:${n}`;
  throw new Error('no free display number');
}

describe('parseDisplay', () => {
  it('reads local and remote display names', () => {
    expect(parseDisplay(':0')).toEqual({ sockets: ['\0/tmp/.X11-unix/X0', '/tmp/.X11-unix/X0'], host: null, number: 0 });
    expect(parseDisplay('unix:1.0')).toMatchObject({ host: null, number: 1 });
    expect(parseDisplay('10.0.0.2:3')).toEqual({ sockets: [], host: '10.0.0.2', number: 3 });
    expect(parseDisplay('wayland-0')).toBeNull();
  });
});

describe.skipIf(!hasXvfb && !process.env.CI)('the X display probe and the real hook under Xvfb', () => {
  let x: RunningX;
  beforeAll(async () => {
    x = await startXvfb();
  });
  afterAll(async () => {
    await x.stop();
  });

  it('finds a running display reachable, and a set but unserved DISPLAY unreachable, without starting the hook', async () => {
    expect(await probeXDisplay(x.display, {})).toEqual({ reachable: true });
    const missing = unusedDisplay();
    const probe = await probeXDisplay(missing, {});
    expect(probe).toEqual({ reachable: false, reason: `the X display ${missing} could not be reached (ENOENT)` });
    const hook: InputHook = { on: vi.fn(), start: vi.fn(), stop: vi.fn() };
    const source = await choosePushToTalkSource({
      platform: 'linux', env: { XDG_SESSION_TYPE: 'x11', DISPLAY: missing }, ozonePlatform: null,
      probeDisplay: (display) => probeXDisplay(display, {}), connectBus: () => Promise.reject(new Error('unused')),
    });
    const inputs = new PushToTalkInputs(new PushToTalk(() => {}), hook, { subscribe: () => () => {} }, availabilityOf(source));
    inputs.configure({ enabled: true, binding: { kind: 'key', code: 0x002f, label: 'V' }, releaseDelayMs: 0 });
    expect(inputs.status).toMatchObject({ available: false, reason: expect.stringContaining(`the X display ${missing} could not be reached`) });
    expect(hook.start).not.toHaveBeenCalled();
  });

  it('sends the Xauthority cookie, as Xlib does, to a display that requires one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-xauth-'));
    const authFile = path.join(dir, 'Xauthority');
    const cookie = execFileSync('mcookie', { encoding: 'utf8' }).trim();
    const secured = await startXvfb(authFile).catch(async (error: unknown) => {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    });
    try {
      execFileSync('xauth', ['-f', authFile, 'add', secured.display, '.', cookie]);
      // Xvfb reads the file when a client connects, so the cookie may be added after it started.
      expect(await probeXDisplay(secured.display, { XAUTHORITY: authFile })).toEqual({ reachable: true });
      const refused = await probeXDisplay(secured.display, { XAUTHORITY: path.join(dir, 'missing') });
      expect(refused).toMatchObject({ reachable: false, reason: expect.stringContaining('refused the connection') });
    } finally {
      await secured.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hears a key pressed and released in another X client through the real uiohook hook', async () => {
    const child = spawn(process.execPath, [jitiCli, path.join(import.meta.dirname, 'test-support/x11-hook-child.ts')], {
      env: { ...process.env, DISPLAY: x.display },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      await vi.waitFor(() => expect(out).toContain('ready'), { timeout: 15_000 });
      expect(out).toContain('source hook');
      const xdotool = (...args: string[]) => execFileSync('xdotool', args, { env: { ...process.env, DISPLAY: x.display } });
      xdotool('keydown', 'v');
      await vi.waitFor(() => expect(out).toContain('pressed true'), { timeout: 5000 });
      xdotool('keyup', 'v');
      await vi.waitFor(() => expect(out).toContain('pressed false'), { timeout: 5000 });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    }
    expect(child.exitCode).toBe(0);
  });
});
