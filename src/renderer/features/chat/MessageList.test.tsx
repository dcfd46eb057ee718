import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import type { ClientMessage, MessageWindow } from '../../../shared/ipc/state.js';
import { CHANNEL_ID, GUILD_ID, ME, layoutInEachTest, message, readyState, renderWithApp, user, withMessages } from '../../test-support/harness.js';
import { MessageList, type Props } from './MessageList.js';
import { ChatPane } from './ChatPane.js';

const BOB = user('2', 'Bob');
layoutInEachTest();

function sent(m: ReturnType<typeof message>): ClientMessage {
  const { nonce: _nonce, ...rest } = m;
  return { ...rest, delivery: 'sent' };
}

function listProps(window: MessageWindow, overrides: Partial<Props> = {}): Props {
  return {
    channelName: 'general', guildId: GUILD_ID, window, firstUnreadId: undefined,
    abilities: { canSend: true, canReact: true, canManageMessages: false }, jump: null,
    onLoadOlder: vi.fn(), onLoadNewer: vi.fn(), onJumpToPresent: vi.fn(async () => undefined), onAtBottomChange: vi.fn(), onJump: vi.fn(),
    ...overrides,
  };
}

function windowOf(messages: ClientMessage[], hasMoreBefore = false): MessageWindow {
  return { messages, hasMoreBefore, hasMoreAfter: false, loadingBefore: false, loadingAfter: false };
}

describe('MessageList', () => {
  it('keeps the DOM small with 100,000 messages in the channel', async () => {
    const start = Date.parse('2026-03-01T10:00:00Z');
    const messages = Array.from({ length: 100_000 }, (_, i) =>
      sent(message(i, i % 2 ? BOB : ME, `message ${i}`, new Date(start + i * 60_000).toISOString())));
    renderWithApp(<MessageList {...listProps(windowOf(messages, true))} />, readyState({ members: [] }));
    // It opens at the bottom, showing the newest messages.
    expect(await screen.findByText('message 99999')).toBeTruthy();
    const rows = screen.getByRole('log').querySelectorAll('[role="listitem"]');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(60);
    expect(screen.queryByText('message 0')).toBeNull();
  });

  it('groups consecutive messages of one author and separates days', () => {
    const messages = [
      sent(message(1, BOB, 'first', '2026-03-01T10:00:00Z')),
      sent(message(2, BOB, 'second', '2026-03-01T10:01:00Z')),
      sent(message(3, ME, 'mine', '2026-03-01T10:02:00Z')),
      sent(message(4, ME, 'next day', '2026-03-02T12:00:00Z')),
    ];
    renderWithApp(<MessageList {...listProps(windowOf(messages))} />, readyState({ members: [] }));
    const article = (text: string) => screen.getByText(text).closest('article') as HTMLElement;
    expect(article('first').className).toContain('group-start');
    expect(article('second').className).toContain('grouped');
    expect(within(article('second')).queryByRole('heading')).toBeNull();
    expect(article('mine').className).toContain('group-start');
    expect(article('next day').className).toContain('group-start');
    expect(screen.getAllByRole('separator').map((s) => s.getAttribute('aria-label'))).toHaveLength(2);
  });

  it('puts the "new messages" divider above the first unread message', () => {
    const messages = [sent(message(1, BOB, 'read', '2026-03-01T10:00:00Z')), sent(message(2, BOB, 'unread', '2026-03-01T10:30:00Z'))];
    renderWithApp(<MessageList {...listProps(windowOf(messages), { firstUnreadId: messages[1]?.id })} />, readyState());
    const divider = screen.getByRole('separator', { name: 'New messages' });
    const unread = screen.getByText('unread').closest('[role="listitem"]');
    expect(divider.closest('[role="listitem"]')?.nextElementSibling).toBe(unread);
  });

  it('draws one red date line when the first unread message opens a day', () => {
    const messages = [sent(message(1, BOB, 'yesterday', '2026-03-01T10:00:00Z')), sent(message(2, BOB, 'today', '2026-03-02T09:00:00Z'))];
    renderWithApp(<MessageList {...listProps(windowOf(messages), { firstUnreadId: messages[1]?.id })} />, readyState());
    const labels = screen.getAllByRole('separator').map((s) => s.getAttribute('aria-label'));
    expect(labels).toHaveLength(2);
    expect(labels[1]).toMatch(/, new messages$/);
    const divider = screen.getByRole('separator', { name: /, new messages$/ });
    expect(divider.className).toContain('unread');
    expect(divider.closest('[role="listitem"]')?.nextElementSibling).toBe(screen.getByText('today').closest('[role="listitem"]'));
  });

  it('offers "Jump To Present" once scrolled away from the bottom', async () => {
    const messages = Array.from({ length: 40 }, (_, i) => sent(message(i, BOB, `m${i}`, new Date(Date.UTC(2026, 2, 1, 10, i * 10)).toISOString())));
    const onJumpToPresent = vi.fn(async () => undefined);
    renderWithApp(<MessageList {...listProps(windowOf(messages), { onJumpToPresent })} />, readyState());
    expect(screen.queryByRole('button', { name: /Jump To Present/ })).toBeNull();
    const log = screen.getByRole('log');
    log.scrollTop = 0;
    fireEvent.scroll(log);
    fireEvent.click(await screen.findByRole('button', { name: /Jump To Present/ }));
    expect(onJumpToPresent).toHaveBeenCalledTimes(1);
  });

  it('shows images inline at a reserved size and other files as cards with a download link', () => {
    const attachments = [
      { id: '7', filename: 'big.png', size: 900_000, url: 'http://hearth.test/a/big.png', proxy_url: 'http://hearth.test/a/big.png', content_type: 'image/png', width: 1600, height: 900 },
      { id: '8', filename: 'notes.pdf', size: 2048, url: 'http://hearth.test/a/notes.pdf', proxy_url: 'http://hearth.test/a/notes.pdf', content_type: 'application/pdf' },
    ];
    const messages = [sent(message(1, BOB, 'files', '2026-03-01T10:00:00Z', { attachments }))];
    renderWithApp(<MessageList {...listProps(windowOf(messages))} />, readyState());
    const image = screen.getByRole('img', { name: 'big.png' });
    // 1600×900 scaled to fit 400×300, its box reserved before the bytes arrive.
    expect([image.getAttribute('width'), image.getAttribute('height')]).toEqual(['400', '225']);
    const download = screen.getByRole('link', { name: 'Download notes.pdf' });
    expect(download.getAttribute('href')).toBe('http://hearth.test/a/notes.pdf');
    expect(download.getAttribute('download')).toBe('notes.pdf');
    expect(download.closest('.attachment-file')?.textContent).toContain('notes.pdf');
  });

  it('asks for older messages when scrolled near the top', () => {
    const messages = Array.from({ length: 40 }, (_, i) => sent(message(i, BOB, `m${i}`, new Date(Date.UTC(2026, 2, 1, 10, i)).toISOString())));
    const onLoadOlder = vi.fn();
    renderWithApp(<MessageList {...listProps(windowOf(messages, true), { onLoadOlder })} />, readyState());
    const log = screen.getByRole('log');
    onLoadOlder.mockClear();
    log.scrollTop = 0;
    fireEvent.scroll(log);
    expect(onLoadOlder).toHaveBeenCalled();
  });

  it('keeps the first visible message in place when an older page arrives while the loading row is in view', async () => {
    const layout = flowLayout();
    const at = (i: number) => new Date(Date.UTC(2026, 2, 1, 10, i)).toISOString();
    const all = Array.from({ length: 100 }, (_, i) => sent(message(i, i % 2 ? BOB : ME, `m${i}`, at(i))));
    let setWindow: (window: MessageWindow) => void = () => undefined;
    function Channel() {
      const [history, setHistory] = useState(windowOf(all.slice(50), true));
      setWindow = setHistory;
      return <MessageList {...listProps(history)} />;
    }
    try {
      renderWithApp(<Channel />, readyState({ members: [] }));
      const log = screen.getByRole('log');
      // The user scrolls up into the loading row before the older page is there.
      act(() => {
        log.scrollTop = 0;
        fireEvent.scroll(log);
      });
      expect(layout.topOf('m50')).toBe(88); // below the loading row and the date line
      await act(async () => setWindow(windowOf(all, true)));
      // The same message at the same place, with the 50 older ones above it, not in view.
      expect(layout.topOf('m50')).toBe(88);
      expect(screen.queryByText('m0')).toBeNull();
    } finally {
      layout.restore();
    }
  });

  it('shows the channel start when no older messages exist', () => {
    renderWithApp(<MessageList {...listProps(windowOf([sent(message(1, BOB, 'only', '2026-03-01T10:00:00Z'))]))} />, readyState());
    expect(screen.getByRole('heading', { name: 'Welcome to #general!' })).toBeTruthy();
  });

  it('quotes the replied message and jumps to it on click', () => {
    const original = message(1, BOB, 'the **question**', '2026-03-01T10:00:00Z');
    const reply = message(2, ME, 'the answer', '2026-03-01T10:05:00Z', {
      type: 19, message_reference: { message_id: original.id, channel_id: CHANNEL_ID }, referenced_message: original,
    });
    const onJump = vi.fn();
    renderWithApp(<MessageList {...listProps(windowOf([sent(original), sent(reply)]), { onJump })} />, readyState({ members: [] }));
    fireEvent.click(screen.getByRole('button', { name: /Replying to Bob: the question/ }));
    expect(onJump).toHaveBeenCalledWith(original.id);
  });
});

describe('ChatPane messages', () => {
  it('toggles my reaction and adds one from the picker', async () => {
    const state = withMessages(readyState(), [message(1, BOB, 'react to me', '2026-03-01T10:00:00Z', {
      reactions: [{ count: 2, count_details: { burst: 0, normal: 2 }, me: true, me_burst: false, burst_colors: [], emoji: { id: null, name: '👍' } }],
    })]);
    const { fake } = renderWithApp(<ChatPane channelId={CHANNEL_ID} />, state);
    fireEvent.click(screen.getByRole('button', { name: '👍, 2 reactions, including you' }));
    expect(fake.callsOf('removeReaction')).toEqual([[CHANNEL_ID, '1000001', '👍']]);
    fireEvent.click(screen.getAllByRole('button', { name: 'Add Reaction' })[0] as HTMLElement);
    fireEvent.click(screen.getByRole('button', { name: ':tada:' }));
    expect(fake.callsOf('addReaction')).toEqual([[CHANNEL_ID, '1000001', '🎉']]);
  });

  it('highlights messages that mention me and marks edited ones', () => {
    const state = withMessages(readyState(), [
      message(1, BOB, 'hey <@1>', '2026-03-01T10:00:00Z', { mentions: [ME] }),
      message(2, BOB, 'changed', '2026-03-01T10:01:00Z', { edited_timestamp: '2026-03-01T10:02:00Z' }),
    ]);
    renderWithApp(<ChatPane channelId={CHANNEL_ID} />, state);
    expect(screen.getByText('hey').closest('article')?.className).toContain('mentioned');
    expect(screen.getByText('changed').closest('article')?.textContent).toContain('(edited)');
  });

  it('offers reply and react on others’ messages, and edit and delete only on mine', () => {
    const state = withMessages(readyState({ members: [] }), [message(1, BOB, 'his words', '2026-03-01T10:00:00Z'), message(2, ME, 'my words', '2026-03-01T10:30:00Z')]);
    const { services } = renderWithApp(<ChatPane channelId={CHANNEL_ID} />, state);
    const tools = (text: string) => within(screen.getByText(text).closest('article') as HTMLElement).getByRole('toolbar', { name: 'Message actions' });
    const names = (toolbar: HTMLElement) => within(toolbar).getAllByRole('button').map((b) => b.getAttribute('aria-label'));
    expect(names(tools('his words'))).toEqual(['Add Reaction', 'Reply']);
    expect(names(tools('my words'))).toEqual(['Add Reaction', 'Reply', 'Edit', 'Delete']);
    fireEvent.click(within(tools('his words')).getByRole('button', { name: 'Reply' }));
    expect(services.ui.getState().replyTo[CHANNEL_ID]).toBe('1000001');
    expect(screen.getByText(/Replying to/).textContent).toContain('Bob');
    fireEvent.click(within(tools('my words')).getByRole('button', { name: 'Edit' }));
    expect(services.ui.getState().editing).toEqual({ channelId: CHANNEL_ID, messageId: '1000002' });
    expect(screen.getByRole('textbox', { name: 'Edit message' })).toBeTruthy();
  });

  it('asks before deleting my message, and deletes at once with Shift', () => {
    const state = withMessages(readyState(), [message(1, ME, 'oops', '2026-03-01T10:00:00Z')]);
    const { fake, services } = renderWithApp(<ChatPane channelId={CHANNEL_ID} />, state);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(services.ui.getState().modal).toEqual({ type: 'delete-message', channelId: CHANNEL_ID, messageId: '1000001' });
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }), { shiftKey: true });
    expect(fake.callsOf('deleteMessage')).toEqual([[CHANNEL_ID, '1000001']]);
  });

  it('shows my message pending, then sent once the server confirms it', () => {
    const { fake } = renderWithApp(<ChatPane channelId={CHANNEL_ID} />, withMessages(readyState(), []));
    const pending = { ...message(9, ME, 'on its way', new Date().toISOString()), id: 'n-3', nonce: 'n-3', delivery: 'pending' as const };
    act(() => fake.push({ type: 'message/pending', message: pending }));
    const article = () => screen.getByText('on its way').closest('article') as HTMLElement;
    expect(article().className).toContain('pending');
    act(() => fake.push({ type: 'message/confirmed', message: { ...message(9, ME, 'on its way', pending.timestamp), nonce: 'n-3' } }));
    expect(article().className).not.toContain('pending');
    expect(screen.getAllByText('on its way')).toHaveLength(1);
  });

  it('takes files dropped on the pane into the composer', () => {
    renderWithApp(<ChatPane channelId={CHANNEL_ID} />, withMessages(readyState(), []));
    const pane = screen.getByRole('main', { name: '#general' });
    const file = new File(['hi'], 'dropped.txt', { type: 'text/plain' });
    fireEvent.dragOver(pane, { dataTransfer: { types: ['Files'], files: [file] } });
    expect(pane.querySelector('.drop-zone')?.textContent).toContain('Upload to #general');
    fireEvent.drop(pane, { dataTransfer: { types: ['Files'], files: [file] } });
    expect(pane.querySelector('.drop-zone')).toBeNull();
    expect(screen.getByRole('list', { name: 'Attachments to send' }).textContent).toContain('dropped.txt');
  });

  it('shows a failed message with retry using its nonce', () => {
    const state = withMessages(readyState(), []);
    const { fake } = renderWithApp(<ChatPane channelId={CHANNEL_ID} />, state);
    act(() => {
      fake.push({ type: 'message/pending', message: { ...message(9, ME, 'offline words', new Date().toISOString()), id: 'n-1', nonce: 'n-1', delivery: 'pending' } });
      fake.push({ type: 'message/failed', channelId: CHANNEL_ID, nonce: 'n-1', error: { code: 0, status: 0, message: 'Cannot reach the Hearth server.' } });
    });
    expect(screen.getByRole('alert').textContent).toContain('Cannot reach the Hearth server.');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(fake.callsOf('retryMessage')).toEqual([[CHANNEL_ID, 'n-1']]);
  });

  it('shows upload progress on a pending message with files', () => {
    const { fake } = renderWithApp(<ChatPane channelId={CHANNEL_ID} />, withMessages(readyState(), []));
    act(() => {
      fake.push({
        type: 'message/pending',
        message: { ...message(9, ME, 'holiday', new Date().toISOString()), id: 'n-2', nonce: 'n-2', delivery: 'pending', localFiles: [{ name: 'beach.jpg', type: 'image/jpeg', size: 4_000_000 }] },
      });
      fake.push({ type: 'message/upload-progress', channelId: CHANNEL_ID, nonce: 'n-2', loaded: 1_000_000, total: 4_000_000 });
    });
    expect(screen.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('value')).toBe('25');
    expect(screen.getByText(/Uploading beach\.jpg/)).toBeTruthy();
  });

  it('loads the newest page when a channel opens without history', () => {
    const { fake } = renderWithApp(<ChatPane channelId={CHANNEL_ID} />, readyState());
    expect(fake.callsOf('loadLatestMessages')).toEqual([[CHANNEL_ID]]);
  });
});

/**
 * Boxes for the message view as a browser would lay it out: rows flow down from the rows
 * container's translateY, each as tall as installLayout makes it, minus the scroll offset.
 */
function flowLayout() {
  const spy = vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const box = (top: number, height: number) => ({ top, bottom: top + height, height, left: 0, right: 800, width: 800, x: 0, y: top, toJSON: () => ({}) });
    const row = this as HTMLElement;
    const inner = row.parentElement;
    const scroller = row.closest('.message-scroller') as HTMLElement | null;
    if (row.getAttribute('role') !== 'listitem' || !inner || !scroller) return box(0, row.classList.contains('message-scroller') ? 600 : 0);
    let top = parseFloat(/translateY\(([-\d.]+)px\)/.exec(inner.style.transform)?.[1] ?? '0') - scroller.scrollTop;
    for (let sibling = row.previousElementSibling; sibling; sibling = sibling.previousElementSibling) top += (sibling as HTMLElement).offsetHeight;
    return box(top, row.offsetHeight);
  });
  // As in a browser, a scroll event follows a scroll write later, not inside React's commit.
  const scrollTo = vi.spyOn(Element.prototype, 'scrollTo').mockImplementation(function (this: Element, options?: ScrollToOptions | number) {
    this.scrollTop = Math.max(0, typeof options === 'object' ? options.top ?? this.scrollTop : this.scrollTop);
    queueMicrotask(() => this.dispatchEvent(new Event('scroll')));
  });
  return {
    topOf: (text: string) => screen.getByText(text).closest('[role="listitem"]')?.getBoundingClientRect().top,
    restore: () => {
      spy.mockRestore();
      scrollTo.mockRestore();
    },
  };
}
