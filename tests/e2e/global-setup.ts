import fs from 'node:fs';
import { findChromium } from './support.js';

/** Fails the e2e run at once, with the fix, when Chromium or the build is missing. */
export default function setup(): void {
  findChromium();
  if (!fs.existsSync(new URL('../../dist/server/index.js', import.meta.url))) {
    throw new Error('The server is not built: run `npm run build` before the e2e tests (npm run test:e2e does).');
  }
}
