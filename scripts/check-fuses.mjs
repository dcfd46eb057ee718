#!/usr/bin/env node
// Reads the Electron fuse wire of packaged Hearth binaries and checks it against the fuses
// electron-builder.yml asks for (electronFuses). Run after `npm run dist`:
//
//   node scripts/check-fuses.mjs [release-dir]      (default: release)
//
// It looks for the unpacked apps electron-builder leaves there (linux-unpacked/<executableName>,
// win-unpacked/<productName>.exe, mac*/<productName>.app) and fails when none is found or any
// fuse differs. The release workflow runs it on every OS.
import fs from 'node:fs';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import yaml from 'js-yaml';

const root = path.resolve(import.meta.dirname, '..');
/** How the wire stores a fuse: the characters '1' (on), '0' (off), 'r' (removed from this Electron). */
const ON = '1'.charCodeAt(0);
const OFF = '0'.charCodeAt(0);
const REMOVED = 'r'.charCodeAt(0);
/** electron-builder's option names (electronFuses) → the fuse they set. */
const FUSES = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
const releaseDir = path.resolve(process.argv[2] ?? 'release');

/** The packaged app binaries electron-builder left in the release directory. */
function packagedApps() {
  if (!fs.existsSync(releaseDir)) return [];
  const names = [config.linux?.executableName ?? config.productName, `${config.productName}.exe`, `${config.productName}.app`];
  const found = [];
  for (const dir of fs.readdirSync(releaseDir)) {
    if (!/-unpacked$|^mac/.test(dir)) continue;
    for (const name of names) {
      const candidate = path.join(releaseDir, dir, name);
      if (fs.existsSync(candidate)) found.push(candidate);
    }
  }
  return found;
}

const expected = Object.entries(config.electronFuses ?? {}).filter(([name]) => name in FUSES);
if (expected.length === 0) {
  console.error('check-fuses: electron-builder.yml sets no electronFuses');
  process.exit(1);
}
const apps = packagedApps();
if (apps.length === 0) {
  console.error(`check-fuses: no packaged app in ${releaseDir} (run npm run dist first)`);
  process.exit(1);
}
let failures = 0;
for (const app of apps) {
  const wire = await getCurrentFuseWire(app);
  for (const [name, wanted] of expected) {
    const actual = wire[FUSES[name]];
    const ok = actual === (wanted ? ON : OFF);
    if (!ok) failures += 1;
    const shown = actual === ON ? 'on' : actual === OFF ? 'off' : actual === REMOVED ? 'removed' : 'missing';
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${path.relative(process.cwd(), app)}: ${name} is ${shown}, wanted ${wanted ? 'on' : 'off'}`);
  }
}
process.exit(failures > 0 ? 1 : 0);
