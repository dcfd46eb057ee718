import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/fake-electron.js';
import { AppTray, trayTooltip, type TrayActions } from './tray.js';
import { MentionBadge } from './badge.js';
import { trayStatusOf } from './desktop-state.js';
import { CHANNEL_ID, FRIEND, ME, applyAll, messageFrom, signedInState, withMessages } from './test-support/state.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));

const icons = { normal: '/res/tray/tray.png', unread: '/res/tray/tray-unread.png' };

function makeTray() {
  const actions: TrayActions = { open: vi.fn(), toggleMute: vi.fn(), toggleDeafen: vi.fn(), quit: vi.fn() };
  const tray = new AppTray(icons, actions);
  const instance = fake.Tray.instances[0];
  if (!instance) throw new Error('no tray created');
  return { tray, actions, instance };
}

beforeEach(() => fake.resetFakeElectron());

describe('AppTray', () => {
  it('starts with the plain icon and a menu to open, mute, deafen and quit', () => {
    const { actions, instance } = makeTray();
    expect((instance.image as fake.FakeNativeImage).source).toBe(icons.normal);
    expect(instance.toolTip).toBe('Hearth');
    const menu = instance.menu;
    expect(menu?.items.filter((i) => i.label).map((i) => i.label)).toEqual(['Open Hearth', 'Mute', 'Deafen', 'Quit Hearth']);
    menu?.item('Open Hearth').click?.();
    menu?.item('Mute').click?.();
    menu?.item('Deafen').click?.();
    menu?.item('Quit Hearth').click?.();
    expect(actions.open).toHaveBeenCalledOnce();
    expect(actions.toggleMute).toHaveBeenCalledOnce();
    expect(actions.toggleDeafen).toHaveBeenCalledOnce();
    expect(actions.quit).toHaveBeenCalledOnce();
    instance.emit('click');
    expect(actions.open).toHaveBeenCalledTimes(2);
  });

  it('follows unread changes with the icon and tooltip, and voice changes with the checkboxes', () => {
    const { tray, instance } = makeTray();
    tray.update({ unread: true, mentions: 3, muted: false, deafened: false });
    expect((instance.image as fake.FakeNativeImage).source).toBe(icons.unread);
    expect(instance.toolTip).toBe('Hearth — 3 unread mentions');
    tray.update({ unread: true, mentions: 3, muted: true, deafened: false });
    expect(instance.menu?.item('Mute').checked).toBe(true);
    expect(instance.menu?.item('Deafen').checked).toBe(false);
    tray.update({ unread: false, mentions: 0, muted: true, deafened: true });
    expect((instance.image as fake.FakeNativeImage).source).toBe(icons.normal);
    expect(instance.menu?.item('Deafen').checked).toBe(true);
  });

  it('does not rebuild anything when nothing changed', () => {
    const { tray } = makeTray();
    tray.update({ unread: true, mentions: 1, muted: false, deafened: false });
    const before = fake.calls.length;
    tray.update({ unread: true, mentions: 1, muted: false, deafened: false });
    expect(fake.calls.length).toBe(before);
  });

  it('words the tooltip for one mention and for unread messages', () => {
    expect(trayTooltip({ unread: true, mentions: 1 })).toBe('Hearth — 1 unread mention');
    expect(trayTooltip({ unread: true, mentions: 0 })).toBe('Hearth — unread messages');
  });
});

describe('MentionBadge', () => {
  it('sets the dock/launcher count on macOS and Linux', () => {
    const badge = new MentionBadge('linux', () => null, '/res/badge.png');
    badge.set(4);
    badge.set(4);
    badge.set(0);
    expect(fake.callsTo('app', 'setBadgeCount').map((c) => c.args[0])).toEqual([4, 0]);
  });

  it('uses a taskbar overlay on Windows', () => {
    const window = new fake.BrowserWindow();
    const badge = new MentionBadge('win32', () => window as never, '/res/badge.png');
    badge.set(2);
    expect(window.overlay).toEqual({ image: new fake.FakeNativeImage('/res/badge.png'), description: '2 unread mentions' });
    badge.set(0);
    expect(window.overlay).toEqual({ image: null, description: '' });
    expect(fake.callsTo('app', 'setBadgeCount')).toEqual([]);
  });
});

describe('tray and badge follow the client state', () => {
  it('derives unread and mentions from messages and clears them on ack', () => {
    let state = signedInState();
    expect(trayStatusOf(state)).toEqual({ unread: false, mentions: 0, muted: false, deafened: false });
    state = withMessages(state, messageFrom(FRIEND, 'hello'));
    expect(trayStatusOf(state)).toMatchObject({ unread: true, mentions: 0 });
    const mention = messageFrom(FRIEND, `<@${ME.id}>`, { mentions: [ME] });
    state = withMessages(state, mention);
    expect(trayStatusOf(state)).toMatchObject({ unread: true, mentions: 1 });

    const { tray, instance } = makeTray();
    const badge = new MentionBadge('darwin', () => null, '/res/badge.png');
    tray.update(trayStatusOf(state));
    badge.set(trayStatusOf(state).mentions);
    expect(instance.toolTip).toBe('Hearth — 1 unread mention');
    expect(fake.app.badgeCount).toBe(1);

    state = applyAll(state, { type: 'read/acked', channelId: CHANNEL_ID, messageId: mention.id });
    tray.update(trayStatusOf(state));
    badge.set(trayStatusOf(state).mentions);
    expect(instance.toolTip).toBe('Hearth');
    expect(fake.app.badgeCount).toBe(0);
  });

  it('shows self mute and deafen', () => {
    const state = applyAll(signedInState(), { type: 'self-voice', voice: { guildId: null, channelId: null, selfMute: true, selfDeaf: false } });
    expect(trayStatusOf(state)).toMatchObject({ muted: true, deafened: false });
  });
});
