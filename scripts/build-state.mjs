// Which build outputs are missing or older than their sources (used by start and server scripts).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..');

/** Tests and their helpers are not part of any build, so editing them never makes a build stale. */
const NOT_BUILT = /(\.test\.tsx?|\.contract\.ts)$|^test-support(\.tsx?)?$/;

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (NOT_BUILT.test(entry.name)) continue;
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function outdated(output, sourceDirs) {
  const file = path.join(root, output);
  if (!fs.existsSync(file)) return true;
  const built = fs.statSync(file).mtimeMs;
  return sourceDirs.some((dir) => newestMtime(path.join(root, dir)) > built);
}

/** Builds the server and/or the app when their output is missing or stale. */
export function buildIfNeeded({ app = true } = {}) {
  const steps = [];
  if (outdated('dist/server/index.js', ['src/server', 'src/shared'])) steps.push('build:server');
  if (app && outdated('dist/renderer/index.html', ['src/renderer', 'src/client', 'src/shared', 'src/main', 'src/preload'])) steps.push('build:app');
  for (const step of steps) {
    console.log(`hearth: building (${step})…`);
    const result = spawnSync('npm', ['run', '--silent', step], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`hearth: npm run ${step} failed`);
      process.exit(result.status ?? 1);
    }
  }
}

export { root };
