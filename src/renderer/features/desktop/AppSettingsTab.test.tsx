import { afterEach, describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { AppInfo, DesktopShellInfo, UpdateState } from '../../../shared/ipc/bridge.js';
import { StateMirror } from '../../../client/state/mirror.js';
import { AppContext, type AppServices } from '../../app/hooks.js';
import { UiStore } from '../../app/ui-store.js';
import { FakeBridge, readyState } from '../../test-support/harness.js';
import { AppSettingsTab } from './AppSettingsTab.js';
import { describeUpdate } from './UpdatesSection.js';
import { UpdateBanner } from './UpdateBanner.js';

afterEach(cleanup);

function appInfo(platform: AppInfo['platform'], update: UpdateState = { status: 'idle' }, shell: Partial<DesktopShellInfo> = {}): AppInfo {
  const desktop = platform === 'desktop';
  return {
    platform, version: '1.2.0', globalPushToTalk: { available: true }, update,
    updateSource: desktop ? 'Hearth releases, signing key 1a2b 3c4d 5e6f 7a8b' : null,
    desktopShell: desktop ? { tray: true, appImage: false, shortcutsTaken: [], ...shell } : null,
  };
}

/** Renders `ui` in the app's providers with the host answering `getAppInfo` with `info`. */
function renderWith(ui: ReactNode, info: AppInfo, state = readyState()) {
  const fake = new FakeBridge(state);
  fake.answers.set('getAppInfo', { ok: true, value: info });
  const services: AppServices = { bridge: fake.bridge, store: new StateMirror(fake.bridge), ui: new UiStore(null) };
  render(<AppContext.Provider value={services}>{ui}</AppContext.Provider>);
  return { fake };
}

describe('UpdateBanner', () => {
  it('says "Update ready — restart" once an update is downloaded, and restarts on request', async () => {
    const { fake } = renderWith(<UpdateBanner />, appInfo('desktop', { status: 'downloading', version: '1.3.0', percent: 40 }));
    await waitFor(() => expect(fake.callsOf('getAppInfo')).toHaveLength(1));
    expect(screen.queryByText(/Update ready/)).toBeNull();
    act(() => fake.host({ type: 'update', update: { status: 'downloaded', version: '1.3.0' } }));
    expect(screen.getByRole('status').textContent).toContain('Update ready — restart to install Hearth 1.3.0.');
    fireEvent.click(screen.getByRole('button', { name: 'Restart' }));
    await waitFor(() => expect(fake.callsOf('installUpdate')).toEqual([[]]));
  });

  it('shows an update already downloaded before the window opened, and hides it on "Later"', async () => {
    renderWith(<UpdateBanner />, appInfo('desktop', { status: 'downloaded', version: '1.3.0' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Later' }));
    expect(screen.queryByText(/Update ready/)).toBeNull();
  });

  it('tells the user when an update was refused, until dismissed', async () => {
    const { fake } = renderWith(<UpdateBanner />, appInfo('desktop'));
    await waitFor(() => expect(fake.callsOf('getAppInfo')).toHaveLength(1));
    act(() => fake.host({ type: 'update', update: { status: 'refused', version: '1.3.0', reason: 'The update is not signed.' } }));
    expect(screen.getByRole('alert').textContent).toContain('Hearth 1.3.0 was not installed: The update is not signed.');
    expect(screen.queryByRole('button', { name: 'Restart' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('stays hidden for errors and in the web client', async () => {
    const { fake } = renderWith(<UpdateBanner />, appInfo('web', { status: 'unsupported', reason: 'The web client is updated with its server.' }));
    await waitFor(() => expect(fake.callsOf('getAppInfo')).toHaveLength(1));
    act(() => fake.host({ type: 'update', update: { status: 'error', message: 'net::ERR_INTERNET_DISCONNECTED' } }));
    expect(screen.queryByRole('status')).toBeNull();
  });
});

describe('AppSettingsTab', () => {
  it('switches close to tray and start on login in the desktop app', async () => {
    const { fake } = renderWith(<AppSettingsTab />, appInfo('desktop'));
    const tray = (await screen.findByRole('checkbox', { name: /Close to tray/ })) as HTMLInputElement;
    expect(tray.checked).toBe(true);
    fireEvent.click(tray);
    fireEvent.click(screen.getByRole('checkbox', { name: /Open Hearth when you sign in/ }));
    expect(fake.callsOf('updateSettings')).toEqual([[{ desktop: { closeToTray: false } }], [{ desktop: { startOnLogin: true } }]]);
  });

  it('shows the update state quietly and offers the restart once downloaded', async () => {
    const { fake } = renderWith(<AppSettingsTab />, appInfo('desktop', { status: 'error', message: 'feed unreachable' }));
    expect(await screen.findByText('Version 1.2.0. Could not check for updates: feed unreachable')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Restart to update' })).toBeNull();
    act(() => fake.host({ type: 'update', update: { status: 'downloaded', version: '1.3.0' } }));
    fireEvent.click(screen.getByRole('button', { name: 'Restart to install Hearth 1.3.0' }));
    await waitFor(() => expect(fake.callsOf('installUpdate')).toEqual([[]]));
  });

  it('shows where updates come from and why one was refused, with no way to point updates elsewhere', async () => {
    renderWith(<AppSettingsTab />, appInfo('desktop', { status: 'refused', version: '1.3.0', reason: 'The update’s signature does not match the signing key Hearth trusts.' }));
    expect(await screen.findByText(/Hearth 1.3.0 was refused and will not be installed\. The update’s signature does not match/)).toBeTruthy();
    expect(screen.getByText(/Updates come from: Hearth releases, signing key 1a2b 3c4d 5e6f 7a8b/)).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: /Update feed/ })).toBeNull();
  });

  it('says that closing minimises, and login starts minimised, where the desktop has no tray', async () => {
    renderWith(<AppSettingsTab />, appInfo('desktop', { status: 'idle' }, { tray: false }));
    expect(await screen.findByText(/Your desktop shows no tray icons, so closing the window minimises Hearth/)).toBeTruthy();
    expect(screen.getByText('It starts minimised.')).toBeTruthy();
  });

  it('offers the applications-menu entry only to an AppImage, and turns it off on request', async () => {
    const { fake } = renderWith(<AppSettingsTab />, appInfo('desktop', { status: 'idle' }, { appImage: true }));
    const entry = (await screen.findByRole('checkbox', { name: /Show Hearth in the applications menu/ })) as HTMLInputElement;
    expect(entry.checked).toBe(true);
    fireEvent.click(entry);
    expect(fake.callsOf('updateSettings')).toEqual([[{ desktop: { registerAppImage: false } }]]);
    cleanup();
    renderWith(<AppSettingsTab />, appInfo('desktop'));
    await screen.findByRole('checkbox', { name: /Close to tray/ });
    expect(screen.queryByRole('checkbox', { name: /applications menu/ })).toBeNull();
  });

  it('records a global mute shortcut from a key combination, and removes it', async () => {
    const { fake } = renderWith(<AppSettingsTab />, appInfo('desktop'));
    const button = await screen.findByRole('button', { name: 'Set toggle mute shortcut' });
    fireEvent.click(button);
    expect(button.textContent).toBe('Press the shortcut…');
    fireEvent.keyDown(button, { key: 'Control', code: 'ControlLeft', ctrlKey: true });
    fireEvent.keyDown(button, { key: 'M', code: 'KeyM', ctrlKey: true, altKey: true });
    await waitFor(() => expect(fake.callsOf('updateSettings')).toEqual([[{ desktop: { globalMuteShortcut: 'Control+Alt+M' } }]]));
  });

  it('shows a chosen shortcut, says when another application owns it, and removes it', async () => {
    const state = readyState();
    state.settings = { ...state.settings, desktop: { ...state.settings.desktop, globalDeafenShortcut: 'F14' } };
    const { fake } = renderWith(<AppSettingsTab />, appInfo('desktop', { status: 'idle' }, { shortcutsTaken: ['F14'] }), state);
    expect(await screen.findByText('F14 is taken by another application, so it does nothing.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(fake.callsOf('updateSettings')).toEqual([[{ desktop: { globalDeafenShortcut: null } }]]));
  });

  it('sets the idle delay in whole minutes from 0 to 720, and shows only that in the web client', async () => {
    const { fake } = renderWith(<AppSettingsTab />, appInfo('web', { status: 'unsupported', reason: 'The web client is updated with its server.' }));
    await waitFor(() => expect(fake.callsOf('getAppInfo')).toHaveLength(1));
    const idle = screen.getByRole('spinbutton', { name: /Set me as Idle after/ });
    fireEvent.change(idle, { target: { value: '721' } });
    fireEvent.blur(idle);
    expect(await screen.findByText(/Enter whole minutes from 0 to 720/)).toBeTruthy();
    fireEvent.change(idle, { target: { value: '0' } });
    fireEvent.blur(idle);
    await waitFor(() => expect(fake.callsOf('updateSettings')).toEqual([[{ desktop: { idleAfterMinutes: 0 } }]]));
    expect(screen.queryByRole('checkbox', { name: /Close to tray/ })).toBeNull();
  });

  it('words every update state', () => {
    expect(describeUpdate({ status: 'downloading', version: '2.0.0', percent: 41.6 })).toBe('Downloading Hearth 2.0.0… 42%');
    expect(describeUpdate({ status: 'unsupported', reason: 'This build has no update signing key.' })).toBe('This build has no update signing key.');
    expect(describeUpdate({ status: 'refused', version: null, reason: 'The update is not signed.' })).toBe('An update was refused and will not be installed. The update is not signed.');
    expect(describeUpdate({ status: 'checking' })).toBe('Checking for updates…');
    expect(describeUpdate({ status: 'available', version: '2.0.0' })).toBe('Downloading Hearth 2.0.0…');
  });
});
