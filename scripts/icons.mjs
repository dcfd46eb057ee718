#!/usr/bin/env node
// Generates every icon the desktop app and its installers need from the one source,
// build/icon.svg: PNGs 16…1024 (Linux, build/icons), icon.png (1024), icon.ico (Windows),
// icon.icns (macOS), and the runtime images the app loads (tray, unread tray, taskbar badge)
// in build/runtime, which electron-builder copies into the app's resources.
//
//   node scripts/icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const root = path.resolve(import.meta.dirname, '..');
const buildDir = path.join(root, 'build');
const source = fs.readFileSync(path.join(buildDir, 'icon.svg'), 'utf8');

/** Rasterizes an SVG string to a square PNG of `size` pixels. */
function png(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

/** The mark without its background tile, cropped square: the tray glyph (optionally with an unread dot). */
function trayGlyph(withDot) {
  const withoutTile = source.replace(/<g id="background">[\s\S]*?<\/g>/, '');
  const cropped = withoutTile
    .replace(/viewBox="[^"]*"/, 'viewBox="152 130 720 720"')
    .replace(/width="1024" height="1024"/, 'width="720" height="720"');
  if (!withDot) return cropped;
  const dot = '<circle cx="752" cy="250" r="118" fill="#f23f43" stroke="#1c1315" stroke-width="28"/>';
  return cropped.replace('</svg>', `${dot}</svg>`);
}

const BADGE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32"><circle cx="16" cy="16" r="14" fill="#f23f43" stroke="#ffffff" stroke-width="2"/></svg>';

/** An ICO file holding PNG-compressed images (Windows Vista and later read these). */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, data } of images) {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2);
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

/** An ICNS file with PNG entries, one per OSType (ic11 is 16@2x, ic12 32@2x, ...). */
function icns(entries) {
  const chunks = entries.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + data.length, 4);
    return Buffer.concat([head, data]);
  });
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}

const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const rendered = new Map(SIZES.map((size) => [size, png(source, size)]));
const at = (size) => rendered.get(size);

fs.mkdirSync(path.join(buildDir, 'icons'), { recursive: true });
for (const size of SIZES) fs.writeFileSync(path.join(buildDir, 'icons', `${size}x${size}.png`), at(size));
fs.writeFileSync(path.join(buildDir, 'icon.png'), at(1024));
fs.writeFileSync(path.join(buildDir, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: at(size) }))));
fs.writeFileSync(path.join(buildDir, 'icon.icns'), icns([
  { type: 'icp4', data: at(16) }, { type: 'icp5', data: at(32) }, { type: 'icp6', data: at(64) },
  { type: 'ic07', data: at(128) }, { type: 'ic08', data: at(256) }, { type: 'ic09', data: at(512) },
  { type: 'ic10', data: at(1024) }, { type: 'ic11', data: at(32) }, { type: 'ic12', data: at(64) },
  { type: 'ic13', data: at(256) }, { type: 'ic14', data: at(512) },
]));

const runtime = path.join(buildDir, 'runtime');
fs.mkdirSync(runtime, { recursive: true });
for (const [name, dot] of [['tray', false], ['tray-unread', true]]) {
  const svg = trayGlyph(dot);
  fs.writeFileSync(path.join(runtime, `${name}.png`), png(svg, 24));
  fs.writeFileSync(path.join(runtime, `${name}@2x.png`), png(svg, 48));
}
fs.writeFileSync(path.join(runtime, 'badge.png'), png(BADGE_SVG, 32));
fs.writeFileSync(path.join(runtime, 'app.png'), at(256));

console.log(`icons written to ${path.relative(root, buildDir)}/ (icons/, icon.png, icon.ico, icon.icns, runtime/)`);
