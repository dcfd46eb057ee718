#!/usr/bin/env node
// `npm run server -- [options]`: the Hearth server alone (builds it first when needed).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildIfNeeded, root } from './build-state.mjs';

buildIfNeeded({ app: !process.argv.includes('--help') });
const child = spawn(process.execPath, [path.join(root, 'dist/server/index.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
