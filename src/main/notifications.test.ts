import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/fake-electron.js';
import { CHANNEL_ID, FRIEND, GUILD_ID, ME, applyAll, messageFrom, signedInState } from './test-support/state.js';
import { MentionNotifier, noticeFor } from './notifications.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));

beforeEach(() => fake.resetFakeElectron());

describe('noticeFor', () => {
  const state = signedInState();

  it('notifies a mention while the window is not focused', () => {
    const message = messageFrom(FRIEND, `hey <@${ME.id}> ready?`, { mentions: [ME] });
    expect(noticeFor(state, message, false)).toEqual({
      title: 'Ash (#general, Campfire)',
      body: 'hey @Ember ready?',
      guildId: GUILD_ID,
      channelId: CHANNEL_ID,
      silent: false,
    });
  });

  it('notifies a reply to one of my messages', () => {
    const mine = messageFrom(ME, 'anyone up for a match?');
    const reply = messageFrom(FRIEND, 'me!', { referenced_message: mine, message_reference: { message_id: mine.id, channel_id: CHANNEL_ID, guild_id: GUILD_ID } });
    expect(noticeFor(state, reply, false)).toMatchObject({ title: 'Ash (#general, Campfire)', body: 'me!' });
  });

  it('notifies @everyone and describes attachment-only messages', () => {
    const message = messageFrom(FRIEND, '', {
      mention_everyone: true,
      attachments: [{ id: '1', filename: 'a.png' }, { id: '2', filename: 'b.png' }] as never,
    });
    expect(noticeFor(state, message, false)?.body).toBe('Sent 2 attachments');
  });

  it('stays quiet while the window is focused', () => {
    expect(noticeFor(state, messageFrom(FRIEND, 'hi', { mentions: [ME] }), true)).toBeNull();
  });

  it('stays quiet in do-not-disturb', () => {
    const dnd = applyAll(state, { type: 'self-status', status: 'dnd' });
    expect(noticeFor(dnd, messageFrom(FRIEND, 'hi', { mentions: [ME] }), false)).toBeNull();
  });

  it('stays quiet for ordinary messages, my own messages, and when turned off', () => {
    expect(noticeFor(state, messageFrom(FRIEND, 'just chatting'), false)).toBeNull();
    expect(noticeFor(state, messageFrom(ME, `<@${ME.id}>`, { mentions: [ME] }), false)).toBeNull();
    const off = applyAll(state, { type: 'settings', settings: { ...state.settings, notifications: { mentions: false, sounds: true } } });
    expect(noticeFor(off, messageFrom(FRIEND, 'hi', { mentions: [ME] }), false)).toBeNull();
  });

  it('is silent when sounds are off and shortens long messages', () => {
    const quiet = applyAll(state, { type: 'settings', settings: { ...state.settings, notifications: { mentions: true, sounds: false } } });
    const notice = noticeFor(quiet, messageFrom(FRIEND, `<@${ME.id}> ${'x'.repeat(500)}`, { mentions: [ME] }), false);
    expect(notice?.silent).toBe(true);
    expect(notice?.body).toHaveLength(200);
  });
});

describe('MentionNotifier', () => {
  it('shows a notification and opens the channel when it is clicked', () => {
    const opened: string[] = [];
    const notifier = new MentionNotifier((notice) => opened.push(notice.channelId));
    notifier.show({ title: 'Ash (#general, Campfire)', body: 'hi', guildId: GUILD_ID, channelId: CHANNEL_ID, silent: false });
    const [notification] = fake.Notification.instances;
    expect(notification?.options).toEqual({ title: 'Ash (#general, Campfire)', body: 'hi', silent: false });
    expect(notification?.shown).toBe(true);
    notification?.emit('click');
    expect(opened).toEqual([CHANNEL_ID]);
  });

  it('does nothing where the OS has no notifications', () => {
    fake.Notification.supported = false;
    new MentionNotifier(() => {}).show({ title: 't', body: 'b', guildId: GUILD_ID, channelId: CHANNEL_ID, silent: false });
    expect(fake.Notification.instances).toEqual([]);
  });
});
