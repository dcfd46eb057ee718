#!/usr/bin/env node
// Type-checks each layer with its own tsconfig, so a layer sees only the globals it may use
// (the renderer has DOM and no Node types; shared has neither).
import { spawnSync } from 'node:child_process';

const projects = ['src/shared', 'src/server', 'src/client', 'src/main', 'src/renderer', 'tests', 'bench'];
let failed = false;
for (const project of projects) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', `${project}/tsconfig.json`, '--noEmit'], { stdio: 'inherit' });
  const ok = result.status === 0;
  failed ||= !ok;
  console.log(`typecheck ${project}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
process.exit(failed ? 1 : 0);
