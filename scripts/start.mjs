#!/usr/bin/env node
// `npm start`: build what is missing, run the server (SQLite in ./data) serving the web client,
// and open the desktop app pointed at it when the Electron binary is installed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildIfNeeded, root } from './build-state.mjs';

buildIfNeeded();

/**
 * The Electron binary's path, or undefined when it was not downloaded. Reads the electron
 * package's path.txt instead of requiring it: requiring it would start a download.
 */
function electronBinary() {
  try {
    const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const relative = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
    const binary = path.join(packageDir, 'dist', relative);
    return fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
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
