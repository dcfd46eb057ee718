import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from './e2e/support.js';

const repoRoot = path.resolve(import.meta.dirname, '..');

describe('findChromium', () => {
  it('uses CHROMIUM_PATH when it names a file', () => {
    const binary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-chromium-')), 'chrome');
    fs.writeFileSync(binary, '');
    expect(findChromium({ CHROMIUM_PATH: binary }, [])).toBe(binary);
  });

  it('finds chromium on PATH when the usual locations are empty', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-chromium-'));
    fs.writeFileSync(path.join(dir, 'chromium'), '');
    expect(findChromium({ PATH: dir }, [])).toBe(path.join(dir, 'chromium'));
  });

  it('fails with how to install one when there is none', () => {
    expect(() => findChromium({ PATH: '/nonexistent' }, [])).toThrow(
      /No Chromium found for the end-to-end tests\. Install one \(Debian\/Ubuntu: `sudo apt-get install chromium`\) or point CHROMIUM_PATH/,
    );
  });

  it('fails when CHROMIUM_PATH names a missing file', () => {
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chrome' }, ['/usr/bin/chromium'])).toThrow(/CHROMIUM_PATH=\/nonexistent\/chrome does not exist/);
  });
});

describe('the e2e step without a browser', () => {
  it('fails at once with the message instead of skipping', () => {
    // The real e2e config and global setup; the default reporter only, so no test-results/e2e.json is written.
    const result = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'tests/e2e/vitest.config.ts', '--reporter=default'],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chrome', NO_COLOR: '1' }, timeout: 60_000 },
    );
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(`${result.stdout}${result.stderr}`).toContain('CHROMIUM_PATH=/nonexistent/chrome does not exist');
  }, 60_000);
});
