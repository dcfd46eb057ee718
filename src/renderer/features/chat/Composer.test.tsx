import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { Permission } from '../../../shared/permissions.js';
import { CHANNEL_ID, GUILD_ID, ME, message, readyState, renderWithApp, user, withMessages } from '../../test-support/harness.js';
import type { SendMessageInput } from '../../../shared/ipc/bridge.js';
import { typingText } from '../../app/selectors.js';
import { Composer, type Props } from './Composer.js';
import { TypingIndicator } from './TypingIndicator.js';

afterEach(cleanup);

const BOB = user('2', 'Bob');
const props: Props = { channelId: CHANNEL_ID, channelName: 'general', guildId: GUILD_ID, canSend: true, canAttach: true, droppedFiles: null };

function box() {
  return screen.getByRole('textbox', { name: 'Message #general' });
}

function type(text: string) {
  fireEvent.change(box(), { target: { value: text } });
}

describe('Composer', () => {
  it('sends the trimmed text on Enter and keeps Shift+Enter for new lines', async () => {
    const { fake } = renderWithApp(<Composer {...props} />, readyState());
    type('line one');
    fireEvent.keyDown(box(), { key: 'Enter', shiftKey: true });
    expect(fake.callsOf('sendMessage')).toEqual([]);
    type('  line one\nline two  ');
    fireEvent.keyDown(box(), { key: 'Enter' });
    await waitFor(() => expect(fake.callsOf('sendMessage')).toEqual([[{ channelId: CHANNEL_ID, content: 'line one\nline two' }]]));
    expect((box() as HTMLTextAreaElement).value).toBe('');
  });

  it('does not send whitespace only', () => {
    const { fake } = renderWithApp(<Composer {...props} />, readyState());
    type('   ');
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(fake.callsOf('sendMessage')).toEqual([]);
  });

  it('tells the server I am typing while I type', () => {
    const { fake } = renderWithApp(<Composer {...props} />, readyState());
    type('h');
    type('he');
    expect(fake.callsOf('sendTyping')).toEqual([[CHANNEL_ID], [CHANNEL_ID]]);
  });

  it('edits my last message on Up in an empty box', () => {
    const state = withMessages(readyState(), [
      message(1, ME, 'older', '2026-03-01T10:00:00Z'),
      message(2, ME, 'latest of mine', '2026-03-01T10:01:00Z'),
      message(3, BOB, 'not mine', '2026-03-01T10:02:00Z'),
    ]);
    const { services } = renderWithApp(<Composer {...props} />, state);
    type('');
    fireEvent.keyDown(box(), { key: 'ArrowUp' });
    expect(services.ui.getState().editing).toEqual({ channelId: CHANNEL_ID, messageId: '1000002' });
  });

  it('replies in reply mode, and Esc leaves it and marks the channel read', async () => {
    const state = withMessages(readyState({ members: [] }), [message(1, BOB, 'question?', '2026-03-01T10:00:00Z')]);
    const { fake, services } = renderWithApp(<Composer {...props} />, state);
    act(() => services.ui.setReplyTo(CHANNEL_ID, '1000001'));
    expect(screen.getByText(/Replying to/).textContent).toBe('Replying to Bob');
    fireEvent.keyDown(box(), { key: 'Escape' });
    expect(services.ui.getState().replyTo).toEqual({});
    expect(fake.callsOf('ackChannel')).toEqual([[CHANNEL_ID]]);

    act(() => services.ui.setReplyTo(CHANNEL_ID, '1000001'));
    type('answer');
    fireEvent.keyDown(box(), { key: 'Enter' });
    await waitFor(() => expect(fake.callsOf('sendMessage')).toEqual([[{ channelId: CHANNEL_ID, content: 'answer', replyTo: '1000001' }]]));
  });

  it('attaches files by button and sends their bytes', async () => {
    const { fake, container } = renderWithApp(<Composer {...props} />, readyState());
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    const file = new File(['hello'], 'hello.txt', { type: 'text/plain' });
    fireEvent.change(input, { target: { files: [file] } });
    expect(screen.getByRole('list', { name: 'Attachments to send' }).textContent).toContain('hello.txt');
    fireEvent.keyDown(box(), { key: 'Enter' });
    await waitFor(() => expect(fake.callsOf('sendMessage')).toHaveLength(1));
    const sent = fake.callsOf('sendMessage')[0]?.[0] as SendMessageInput;
    expect(sent.files?.map((f) => ({ name: f.name, type: f.type, text: new TextDecoder().decode(f.bytes) }))).toEqual([
      { name: 'hello.txt', type: 'text/plain', text: 'hello' },
    ]);
  });

  it('takes pasted files', () => {
    renderWithApp(<Composer {...props} />, readyState());
    const file = new File(['png'], 'shot.png', { type: 'image/png' });
    fireEvent.paste(box(), { clipboardData: { files: [file] } });
    expect(screen.getByRole('button', { name: 'Remove shot.png' })).toBeTruthy();
  });

  it('explains the size limit and refuses to send too much', () => {
    const { fake } = renderWithApp(<Composer {...props} />, readyState());
    const big = new File(['x'], 'video.mp4', { type: 'video/mp4' });
    Object.defineProperty(big, 'size', { value: 30 * 1024 * 1024 });
    fireEvent.paste(box(), { clipboardData: { files: [big] } });
    expect(screen.getByRole('alert').textContent).toMatch(/25 MB per message/);
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(fake.callsOf('sendMessage')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove video.mp4' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says so when I may not send in the channel', () => {
    renderWithApp(<Composer {...props} canSend={false} />, readyState({ everyonePermissions: Permission.VIEW_CHANNEL }));
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.getByText('You do not have permission to send messages in this channel.')).toBeTruthy();
  });
});

describe('typing indicator', () => {
  it('words one, two, three and several typists as Discord does', () => {
    expect(typingText([])).toBeNull();
    expect(typingText(['Ana'])).toBe('Ana is typing…');
    expect(typingText(['Ana', 'Bo'])).toBe('Ana and Bo are typing…');
    expect(typingText(['Ana', 'Bo', 'Cy'])).toBe('Ana, Bo and Cy are typing…');
    expect(typingText(['Ana', 'Bo', 'Cy', 'Di'])).toBe('Several people are typing…');
  });

  it('shows who is typing in the channel, never me', () => {
    const { fake } = renderWithApp(<TypingIndicator channelId={CHANNEL_ID} />, readyState({ members: [] }));
    act(() => {
      fake.push({ type: 'dispatch', t: 'TYPING_START', d: { channel_id: CHANNEL_ID, guild_id: GUILD_ID, user_id: BOB.id, timestamp: 0, member: { ...memberOf(BOB) } }, receivedAt: Date.now() });
    });
    expect(screen.getByText('Bob is typing…')).toBeTruthy();
  });
});

function memberOf(u: typeof BOB) {
  return { user: u, nick: null, avatar: null, roles: [], joined_at: '2026-01-01T00:00:00.000Z', premium_since: null, deaf: false, mute: false, flags: 0, pending: false, communication_disabled_until: null };
}
