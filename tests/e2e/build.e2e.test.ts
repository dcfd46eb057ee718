import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// What `npm run build` (run by npm run test:e2e before these tests) leaves in dist/.
const dist = path.resolve(import.meta.dirname, '../../dist');

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('npm run build', () => {
  it('builds the renderer as static files whose scripts and styles all exist', () => {
    const html = fs.readFileSync(path.join(dist, 'renderer/index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) expect(fs.existsSync(path.join(dist, 'renderer', asset)), asset).toBe(true);
  });

  it('builds the Electron main process and a CommonJS preload', () => {
    expect(fs.readFileSync(path.join(dist, 'main/index.js'), 'utf8')).toMatch(/from "electron"|require\("electron"\)/);
    const preload = fs.readFileSync(path.join(dist, 'preload/index.cjs'), 'utf8');
    expect(preload).toContain('require("electron")');
    expect(preload).not.toMatch(/^import /m);
  });

  it('builds the server as plain JavaScript with no TypeScript left in it', () => {
    const files = filesUnder(path.join(dist, 'server'));
    expect(files).toContain('index.js');
    expect(files.filter((f) => /\.(ts|tsx|mts)$/.test(f))).toEqual([]);
    // Imports name .js files that exist: node runs it without a loader (the server e2e tests run it).
    const index = fs.readFileSync(path.join(dist, 'server/index.js'), 'utf8');
    const imports = [...index.matchAll(/from '(\.[^']+)'/g)].map((m) => m[1]!);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports) expect(fs.existsSync(path.join(dist, 'server', specifier)), specifier).toBe(true);
  });
});
