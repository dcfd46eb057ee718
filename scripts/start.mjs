#!/usr/bin/env node
// `npm start`: build what is missing, run the server (SQLite in ./data) serving the web client,
// and open the desktop app pointed at it when the Electron binary is installed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildIfNeeded, root } from './build-state.mjs';

buildIfNeeded();

/**
 * The Electron binary's path, or undefined when it is not installed. Electron 42+ downloads its
 * binary on first use rather than at `npm install`; do that here (quietly) unless
 * ELECTRON_SKIP_BINARY_DOWNLOAD is set. Never `require('electron')`: it would print its own errors.
 */
function electronBinary() {
  let packageDir;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const installed = () => {
    try {
      const relative = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
      const binary = path.join(packageDir, 'dist', relative);
      return fs.existsSync(binary) ? binary : undefined;
    } catch {
      return undefined;
    }
  };
  if (installed() || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return installed();
  console.log('hearth: downloading the Electron binary for the desktop app (first start only)…');
  spawnSync(process.execPath, [path.join(packageDir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  return installed();
}

const server = spawn(process.execPath, [path.join(root, 'dist/server/index.js'), ...process.argv.slice(2)], {
  stdio: ['inherit', 'pipe', 'inherit'],
});
let desktop;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const match = /Hearth is running at (\S+)/.exec(chunk.toString());
  if (!match || desktop) return;
  const url = match[1];
  const binary = electronBinary();
  if (!binary) {
    console.log(`Desktop app not installed (no Electron binary); open ${url} in your browser.`);
    return;
  }
  desktop = spawn(binary, [root, `--server-url=${url}`], { stdio: 'inherit' });
  desktop.on('exit', () => server.kill('SIGTERM'));
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => {
  desktop?.kill();
  process.exit(code ?? 0);
});
