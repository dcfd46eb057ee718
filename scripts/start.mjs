#!/usr/bin/env node
// `npm start`: build what is missing, run the server (SQLite in ./data) serving the web client,
// and open the desktop app pointed at it when the Electron binary is installed.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildIfNeeded, root } from './build-state.mjs';

buildIfNeeded();

/** The Electron binary's path, or undefined when it was not downloaded. */
function electronBinary() {
  try {
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' ? binary : undefined;
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
