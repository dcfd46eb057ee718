/**
 * The installer configuration and its resources: what electron-builder is told to build, the
 * icons generated from build/icon.svg at every size the targets need, the images the running app
 * loads, and the release workflow. (The packaging itself needs the Electron download: CI's
 * release workflow runs it.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { imageSize } from 'image-size';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const builder = read('electron-builder.yml');

/** The value of `key:` in the top-level `section:` block of electron-builder.yml. */
function setting(section: string, key: string): string | undefined {
  const block = new RegExp(`^${section}:\\n((?:[ ]+.*\\n|\\n)*)`, 'm').exec(builder)?.[1] ?? '';
  return new RegExp(`^\\s+${key}: (.+)$`, 'm').exec(block)?.[1]?.trim();
}

describe('electron-builder configuration', () => {
  it('names the app and builds AppImage and deb, NSIS, and dmg with zip', () => {
    expect(builder).toMatch(/^appId: org\.hearth\.desktop$/m);
    expect(builder).toMatch(/^productName: Hearth$/m);
    expect(setting('linux', 'target')).toBe('[AppImage, deb]');
    expect(setting('win', 'target')).toBe('[nsis]');
    expect(setting('mac', 'target')).toBe('[dmg, zip]');
    // Windows attributes notifications and badges to the same ID the main process sets.
    expect(read('src/main/index.ts')).toContain("app.setAppUserModelId('org.hearth.desktop')");
  });

  it('registers hearth:// links, a Linux desktop entry with its category, and the generic update provider', () => {
    expect(setting('protocols', 'schemes')).toBe('[hearth]');
    expect(setting('linux', 'category')).toBe('Network');
    expect(builder).toMatch(/^\s+Categories: Network;Chat;InstantMessaging;AudioVideo;$/m);
    expect(builder).toMatch(/^\s+MimeType: x-scheme-handler\/hearth;$/m);
    expect(setting('publish', 'provider')).toBe('generic');
  });

  it('ships the built app and the runtime images, not the server', () => {
    expect(builder).toMatch(/^\s+- dist\/main\/\*\*$/m);
    expect(builder).toMatch(/^\s+- "!node_modules\/better-sqlite3\/\*\*"$/m);
    expect(setting('extraResources', '- from')).toBe('build/runtime');
  });
});

describe('icons from build/icon.svg', () => {
  it('has the Linux PNGs at every size from 16 to 1024, the Windows .ico and the macOS .icns', () => {
    expect(read('build/icon.svg')).toMatch(/<svg[^>]*viewBox="0 0 1024 1024"/);
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(imageSize(fs.readFileSync(path.join(root, `build/icons/${size}x${size}.png`)))).toMatchObject({ width: size, height: size, type: 'png' });
    }
    const ico = imageSize(fs.readFileSync(path.join(root, 'build/icon.ico')));
    expect(ico.images?.map((image) => image.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    const icns = imageSize(fs.readFileSync(path.join(root, 'build/icon.icns')));
    expect(icns.images?.map((image) => image.width)).toContain(1024);
    expect(setting('win', 'icon')).toBe('build/icon.ico');
    expect(setting('mac', 'icon')).toBe('build/icon.icns');
    expect(setting('linux', 'icon')).toBe('build/icons');
  });

  it('has every image the running app loads: tray (normal, unread, @2x), taskbar badge, window icon', () => {
    for (const file of ['tray.png', 'tray@2x.png', 'tray-unread.png', 'tray-unread@2x.png', 'badge.png', 'app.png']) {
      expect(imageSize(fs.readFileSync(path.join(root, 'build/runtime', file))).type).toBe('png');
    }
  });
});

describe('building and releasing', () => {
  it('documents npm run dist and the Electron download electron-builder makes', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.dist).toBe('npm run build && electron-builder');
    const readme = read('README.md');
    expect(readme).toContain('`npm run dist`');
    expect(readme).toContain('electron-builder downloads the Electron build for each target');
  });

  it('has a release workflow that installs Electron and packages on Linux, Windows and macOS', () => {
    const workflow = read('.github/workflows/release.yml');
    expect(workflow).toMatch(/tags: \['v\*'\]/);
    expect(workflow).toContain('os: [ubuntu-latest, windows-latest, macos-latest]');
    expect(workflow).toContain('run: npm ci');
    expect(workflow).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(workflow).toContain('npm run dist');
    expect(workflow).toContain('release/latest*.yml');
  });
});
