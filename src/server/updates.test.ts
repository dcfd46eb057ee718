import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support/server.js';
import { loadConfig } from './config.js';

describe('auto-update feed at /updates/', () => {
  let updatesDir: string;
  let server: TestServer;
  const installer = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));

  beforeAll(async () => {
    updatesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-updates-'));
    fs.writeFileSync(path.join(updatesDir, 'latest-linux.yml'), 'version: 1.2.3\npath: Hearth-1.2.3.AppImage\n');
    fs.writeFileSync(path.join(updatesDir, 'Hearth-1.2.3.AppImage'), installer);
    server = await startTestServer({ updatesDir });
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(updatesDir, { recursive: true, force: true });
  });

  it('serves the feed file uncached', async () => {
    const response = await fetch(`${server.url}/updates/latest-linux.yml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('version: 1.2.3');
  });

  it('serves installers, including byte ranges for differential downloads', async () => {
    const whole = await fetch(`${server.url}/updates/Hearth-1.2.3.AppImage`);
    expect(Buffer.from(await whole.arrayBuffer()).equals(installer)).toBe(true);
    const part = await fetch(`${server.url}/updates/Hearth-1.2.3.AppImage`, { headers: { Range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(installer.subarray(100, 200))).toBe(true);
  });

  it('serves files published after start-up', async () => {
    fs.writeFileSync(path.join(updatesDir, 'latest.yml'), 'version: 1.2.4\n');
    const response = await fetch(`${server.url}/updates/latest.yml`);
    expect(await response.text()).toBe('version: 1.2.4\n');
  });

  it('answers 404 with a JSON error for missing files and paths outside the directory', async () => {
    const missing = await fetch(`${server.url}/updates/nope.yml`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 0, message: '404: Not Found' });
    const escape = await fetch(`${server.url}/updates/..%2f..%2fetc%2fpasswd`);
    expect(escape.status).toBe(404);
  });

  it('takes the directory from --updates-dir or HEARTH_UPDATES_DIR', () => {
    expect(loadConfig(['--updates-dir', '/srv/hearth/updates'], {})).toMatchObject({ updatesDir: '/srv/hearth/updates' });
    expect(loadConfig([], { HEARTH_UPDATES_DIR: '/srv/updates' })).toMatchObject({ updatesDir: '/srv/updates' });
  });

  it('is absent when no updates directory is configured', async () => {
    const plain = await startTestServer();
    try {
      expect((await fetch(`${plain.url}/updates/latest.yml`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
