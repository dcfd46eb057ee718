#!/usr/bin/env node
// `npm run hearth -- <command>`: administration commands (e.g. `bot create NAME --owner USERNAME`),
// run on the configured data directory or database. Builds the server first when needed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildIfNeeded, root } from './build-state.mjs';

buildIfNeeded({ app: false });
const child = spawn(process.execPath, [path.join(root, 'dist/server/cli.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
