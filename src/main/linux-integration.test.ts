import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DESKTOP_ENTRY_FIELDS, LinuxIntegration, desktopEntry, execArgument, xdgPaths } from './linux-integration.js';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-home-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const icon = path.resolve(import.meta.dirname, '../../build/runtime/app.png');

function integration(appImage: string | null = '/home/u/Apps/Hearth 1.0.AppImage') {
  const run = vi.fn(async () => {});
  const paths = xdgPaths({ XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: path.join(home, 'config') }, home);
  return { run, paths, linux: new LinuxIntegration({ paths, appImage, executable: '/opt/Hearth/hearth', iconSource: icon, run }) };
}

/** A desktop entry's keys and values. */
function parseEntry(text: string): Record<string, string> {
  const [header, ...lines] = text.trimEnd().split('\n');
  expect(header).toBe('[Desktop Entry]');
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

describe('the desktop entry', () => {
  it('has the fields electron-builder writes for the packaged app', () => {
    const config = yaml.load(fs.readFileSync(path.resolve(import.meta.dirname, '../../electron-builder.yml'), 'utf8')) as {
      linux: { category: string; description: string; desktop: { entry: Record<string, string> } };
    };
    const { Categories, ...rest } = DESKTOP_ENTRY_FIELDS;
    expect(Categories).toBe(`${config.linux.category};`);
    expect(rest).toEqual(config.linux.desktop.entry);
  });

  it('quotes the Exec line as the desktop entry spec says', () => {
    expect(execArgument('/opt/Hearth/hearth')).toBe('/opt/Hearth/hearth');
    expect(execArgument('/home/u/My Apps/Hearth.AppImage')).toBe('"/home/u/My Apps/Hearth.AppImage"');
    expect(execArgument('/home/u/$weird"`\\.AppImage')).toBe('"/home/u/\\$weird\\"\\`\\\\.AppImage"');
    expect(parseEntry(desktopEntry('/a b/Hearth', ['%U'])).Exec).toBe('"/a b/Hearth" %U');
  });
});

describe('an AppImage registering itself', () => {
  it('writes hearth.desktop and its icon on first run, and makes it the hearth:// handler', async () => {
    const { linux, paths, run } = integration();
    expect(paths.applications).toBe(path.join(home, 'data', 'applications', 'hearth.desktop'));
    expect(await linux.applyAppImageEntry(true)).toBe(true);
    const entry = parseEntry(fs.readFileSync(paths.applications, 'utf8'));
    expect(entry).toMatchObject({
      Type: 'Application', Name: 'Hearth', Exec: '"/home/u/Apps/Hearth 1.0.AppImage" %U', Icon: 'hearth',
      StartupWMClass: 'hearth', MimeType: 'x-scheme-handler/hearth;', Categories: 'Network;InstantMessaging;Chat;', Terminal: 'false',
    });
    expect(fs.readFileSync(paths.icon)).toEqual(fs.readFileSync(icon));
    expect(run.mock.calls).toEqual([
      ['update-desktop-database', [path.join(home, 'data', 'applications')]],
      ['xdg-mime', ['default', 'hearth.desktop', 'x-scheme-handler/hearth']],
    ]);
    // Nothing to do on the next start.
    expect(await linux.applyAppImageEntry(true)).toBe(false);
  });

  it('rewrites the entry when the AppImage moved', async () => {
    await integration('/home/u/Downloads/Hearth.AppImage').linux.applyAppImageEntry(true);
    const moved = integration('/home/u/Apps/Hearth.AppImage');
    expect(await moved.linux.applyAppImageEntry(true)).toBe(true);
    expect(parseEntry(fs.readFileSync(moved.paths.applications, 'utf8')).Exec).toBe('/home/u/Apps/Hearth.AppImage %U');
  });

  it('removes what it wrote when the user turns it off, and never touches an entry it did not write', async () => {
    const { linux, paths } = integration();
    await linux.applyAppImageEntry(true);
    expect(await linux.applyAppImageEntry(false)).toBe(true);
    expect(fs.existsSync(paths.applications)).toBe(false);
    expect(fs.existsSync(paths.icon)).toBe(false);
    fs.writeFileSync(paths.applications, '[Desktop Entry]\nName=Hearth (my own)\n');
    expect(await linux.applyAppImageEntry(true)).toBe(false);
    expect(await linux.applyAppImageEntry(false)).toBe(false);
    expect(fs.readFileSync(paths.applications, 'utf8')).toContain('my own');
  });

  it('does nothing outside an AppImage (the deb installs its own entry)', async () => {
    const { linux, paths } = integration(null);
    expect(await linux.applyAppImageEntry(true)).toBe(false);
    expect(fs.existsSync(paths.applications)).toBe(false);
  });
});

describe('start on login on Linux', () => {
  it('writes an XDG autostart entry that starts hidden, and removes it', () => {
    const { linux, paths } = integration(null);
    expect(linux.startsOnLogin).toBe(false);
    linux.setStartOnLogin(true);
    expect(paths.autostart).toBe(path.join(home, 'config', 'autostart', 'hearth.desktop'));
    expect(parseEntry(fs.readFileSync(paths.autostart, 'utf8'))).toMatchObject({ Exec: '/opt/Hearth/hearth --hidden', 'X-GNOME-Autostart-enabled': 'true', Name: 'Hearth' });
    expect(linux.startsOnLogin).toBe(true);
    linux.setStartOnLogin(false);
    expect(fs.existsSync(paths.autostart)).toBe(false);
  });

  it('starts the AppImage itself, not its temporary mount', () => {
    const { linux, paths } = integration('/home/u/Apps/Hearth.AppImage');
    linux.setStartOnLogin(true);
    expect(parseEntry(fs.readFileSync(paths.autostart, 'utf8')).Exec).toBe('/home/u/Apps/Hearth.AppImage --hidden');
  });

  it('uses the XDG defaults under the home directory', () => {
    expect(xdgPaths({}, '/home/u')).toEqual({
      applications: '/home/u/.local/share/applications/hearth.desktop',
      icon: '/home/u/.local/share/icons/hicolor/256x256/apps/hearth.png',
      autostart: '/home/u/.config/autostart/hearth.desktop',
    });
  });
});
