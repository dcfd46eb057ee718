/**
 * The installer configuration and its resources: what electron-builder is told to build, the
 * icons generated from build/icon.svg at every size the targets need, the images the running app
 * loads, and the release workflow. (The packaging itself needs the Electron download: CI's
 * release workflow runs it.)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flipFuses } from '@electron/fuses';
import { PlatformPackager } from 'app-builder-lib';
import { imageSize } from 'image-size';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const builder = read('electron-builder.yml');
/** electron-builder.yml as electron-builder reads it. */
const config = yaml.load(builder) as {
  publish: Record<string, unknown>;
  electronFuses: Record<string, boolean>;
  toolsets: Record<string, string>;
  linux: { category: string; syncDesktopName: boolean; desktop: { entry: Record<string, string> } };
  nsis: Record<string, unknown>;
};

/** The value of `key:` in the top-level `section:` block of electron-builder.yml. */
function setting(section: string, key: string): string | undefined {
  const block = new RegExp(`^${section}:\\n((?:[ ]+.*\\n|\\n)*)`, 'm').exec(builder)?.[1] ?? '';
  return new RegExp(`^\\s+${key}: (.+)$`, 'm').exec(block)?.[1]?.trim();
}

describe('electron-builder configuration', () => {
  it('is valid by electron-builder\'s own schema (the options used exist in this version)', async () => {
    const { validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js')) as unknown as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = await import('builder-util');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, toolsets: { appimage: '9.9.9' } }, new DebugLogger(false))).rejects.toThrow('toolsets.appimage');
  });

  it('names the app and builds AppImage and deb, NSIS, and dmg with zip', () => {
    expect(builder).toMatch(/^appId: org\.hearth\.desktop$/m);
    expect(builder).toMatch(/^productName: Hearth$/m);
    expect(setting('linux', 'target')).toBe('[AppImage, deb]');
    expect(setting('win', 'target')).toBe('[nsis]');
    expect(setting('mac', 'target')).toBe('[dmg, zip]');
    // Windows attributes notifications and badges to the same ID the main process sets.
    expect(read('src/main/index.ts')).toContain("app.setAppUserModelId('org.hearth.desktop')");
  });

  it('registers hearth:// links and a Linux desktop entry whose name and window class are what Electron sets', () => {
    expect(setting('protocols', 'schemes')).toBe('[hearth]');
    // electron-builder writes `category` as the Categories key (an entry's own Categories is overwritten).
    expect(config.linux.category).toBe('Network;InstantMessaging;Chat');
    expect(config.linux.desktop.entry.Categories).toBeUndefined();
    expect(config.linux.desktop.entry.MimeType).toBe('x-scheme-handler/hearth;');
    // Electron takes its Wayland app_id and X11 WM_CLASS from package.json's desktopName.
    const desktopName = (JSON.parse(read('package.json')) as { desktopName: string }).desktopName;
    expect(desktopName).toBe('hearth.desktop');
    expect(config.linux.syncDesktopName).toBe(true);
    expect(config.linux.desktop.entry.StartupWMClass).toBe(desktopName.replace(/\.desktop$/, ''));
  });

  it('updates from the release channel fixed at build time, never a chat server', () => {
    // GitHub releases are served over https; no generic URL that could be a chat server's /updates/.
    expect(config.publish).toEqual({ provider: 'github', releaseType: 'release' });
  });

  it('builds the AppImage with the static-runtime toolset (no libfuse2 needed)', () => {
    const [major] = config.toolsets.appimage?.split('.').map(Number) ?? [0];
    expect(major).toBeGreaterThanOrEqual(1);
  });

  it('has the NSIS installer register hearth:// in HKCU and remove it at uninstall, but not on update', () => {
    expect(config.nsis).toMatchObject({ perMachine: false, include: 'build/installer.nsh' });
    const script = read('build/installer.nsh');
    const install = /!macro customInstall\n([\s\S]*?)!macroend/.exec(script)?.[1] ?? '';
    expect(install).toContain('WriteRegStr HKCU "Software\\Classes\\hearth" "URL Protocol" ""');
    expect(install).toContain(`WriteRegStr HKCU "Software\\Classes\\hearth\\shell\\open\\command" "" '"$INSTDIR\\\${APP_EXECUTABLE_FILENAME}" "%1"'`);
    const uninstall = /!macro customUnInstall\n([\s\S]*?)!macroend/.exec(script)?.[1] ?? '';
    expect(uninstall).toMatch(/\$\{ifNot\} \$\{isUpdated\}\s+DeleteRegKey HKCU "Software\\Classes\\hearth"\s+\$\{endIf\}/);
  });

  it('ships the built app and the runtime images, not the server', () => {
    expect(builder).toMatch(/^\s+- dist\/main\/\*\*$/m);
    expect(builder).toMatch(/^\s+- "!node_modules\/better-sqlite3\/\*\*"$/m);
    expect(setting('extraResources', '- from')).toBe('build/runtime');
  });
});

/** Debian's makensis (the `nsis` package; `.ci/run` installs it). */
const hasMakensis = spawnSync('sh', ['-c', 'command -v makensis']).status === 0;

describe.skipIf(!hasMakensis && !process.env.CI)('the NSIS include, compiled', () => {
  it('compiles into an installer and uninstaller as electron-builder includes it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-nsis-'));
    try {
      // electron-builder defines APP_EXECUTABLE_FILENAME and isUpdated (a LogicLib test of --updated) before the include.
      const script = [
        '!include LogicLib.nsh', 'Unicode true', 'Name "Hearth"', `OutFile "${path.join(dir, 'setup.exe')}"`, 'RequestExecutionLevel user',
        'InstallDir "$LOCALAPPDATA\\Programs\\Hearth"', '!define APP_EXECUTABLE_FILENAME "Hearth.exe"',
        '!macro _isUpdated _a _b _t _f', '  StrCmp "$R9" "true" `${_t}` `${_f}`', '!macroend', '!define isUpdated `"" isUpdated ""`',
        `!include "${path.join(root, 'build/installer.nsh')}"`,
        'Section "Install"', '  !insertmacro customInstall', '  WriteUninstaller "$INSTDIR\\uninstall.exe"', 'SectionEnd',
        'Section "Uninstall"', '  !insertmacro customUnInstall', 'SectionEnd',
      ].join('\n');
      fs.writeFileSync(path.join(dir, 'check.nsi'), script);
      const result = spawnSync('makensis', ['-V2', path.join(dir, 'check.nsi')], { encoding: 'utf8' });
      expect(result.stderr + result.stdout).not.toMatch(/error/i);
      expect(result.status).toBe(0);
      expect(fs.statSync(path.join(dir, 'setup.exe')).size).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Electron fuses', () => {
  it('asks electron-builder to turn off Node entry points and turn on cookie encryption and ASAR-only loading', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  /** A stand-in executable carrying Electron's fuse wire with its defaults (as in Electron's binaries). */
  function unpackedApp(): { dir: string; binary: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-fuses-'));
    const binary = path.join(dir, 'linux-unpacked', 'hearth');
    fs.mkdirSync(path.dirname(binary));
    const wire = Buffer.concat([Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from('10110001')]);
    fs.writeFileSync(binary, Buffer.concat([Buffer.alloc(4096, 0x90), wire, Buffer.alloc(4096, 0x90)]));
    return { dir, binary };
  }

  it('reads the fuse wire that electron-builder\'s own fuse step writes, and fails on an unflipped binary', async () => {
    const { dir, binary } = unpackedApp();
    try {
      const check = () => spawnSync(process.execPath, [path.join(root, 'scripts/check-fuses.mjs'), dir], { encoding: 'utf8' });
      const before = check();
      expect(before.status).toBe(1);
      expect(before.stdout).toMatch(/^FAIL \S*linux-unpacked\/hearth: runAsNode is on, wanted off$/m);
      expect(before.stdout).toMatch(/^FAIL \S*linux-unpacked\/hearth: onlyLoadAppFromAsar is off, wanted on$/m);
      // The configuration electron-builder builds from electronFuses, flipped as at packaging.
      const generate = (PlatformPackager.prototype as unknown as { generateFuseConfig(fuses: unknown): Promise<Parameters<typeof flipFuses>[1]> }).generateFuseConfig;
      await flipFuses(binary, await generate.call({}, config.electronFuses));
      const after = check();
      expect(after.stdout).not.toContain('FAIL');
      expect(after.stdout.split('\n').filter((line) => line.startsWith('ok'))).toHaveLength(7);
      expect(after.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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

  it('has a release workflow that installs Electron, packages on Linux, Windows and macOS, checks the fuses and signs the update metadata', () => {
    const workflow = read('.github/workflows/release.yml');
    expect(workflow).toMatch(/tags: \['v\*'\]/);
    expect(workflow).toContain('os: [ubuntu-latest, windows-latest, macos-latest]');
    expect(workflow).toContain('run: npm ci');
    expect(workflow).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(workflow).toContain('npm run dist');
    expect(workflow).toContain('node scripts/check-fuses.mjs release');
    expect(workflow).toContain('HEARTH_UPDATE_SIGNING_KEY: ${{ secrets.HEARTH_UPDATE_SIGNING_KEY }}');
    expect(workflow).toContain('node scripts/update-signing.mjs sign release/latest*.yml');
    expect(workflow).toContain('release/latest*.yml');
  });
});
