import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Whether the Electron binary was downloaded (the same test as scripts/start.mjs: its path.txt names a file that exists). */
function electronInstalled(): boolean {
  try {
    const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const relative = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
    return fs.existsSync(path.join(packageDir, 'dist', relative));
  } catch {
    return false;
  }
}

/** Collects a child's stdout and waits until it matches `pattern`. */
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<{ match: RegExpExecArray; output: () => string }> {
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = pattern.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ match, output: () => stdout });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
}

describe('npm start (scripts/start.mjs)', () => {
  let child: ChildProcess | undefined;
  let dataDir: string | undefined;
  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // CI installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1; with the binary present npm start would open a window.
  it.skipIf(electronInstalled())('serves the web client, says in one line that the desktop app is missing, and stops on SIGTERM', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-start-'));
    child = spawn(process.execPath, [path.join(repoRoot, 'scripts/start.mjs'), '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Never try to download Electron from a test.
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    const { match, output } = await waitForOutput(child, /Desktop app not installed.*\n/);
    const url = /Hearth is running at (\S+)/.exec(output())?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(match[0]).toBe(`Desktop app not installed (no Electron binary); open ${url} in your browser.\n`);

    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<div id="root">');
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(fs.existsSync(path.join(dataDir, 'hearth.db'))).toBe(true);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
