import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { GUILD_ID, readyState, renderWithApp, textChannel } from '../../test-support/harness.js';
import { ChannelsTab } from './settings/ChannelsTab.js';
import { CreateGuildModal } from './CreateGuildModal.js';
import { JoinGuildModal } from './JoinGuildModal.js';
import { InviteModal } from './InviteModal.js';

afterEach(cleanup);

const CATEGORY = '300';

function channelsState() {
  return readyState({
    channels: [
      textChannel(CATEGORY, 'Text Channels', { type: 4, position: 0 }),
      textChannel('201', 'general', { parent_id: CATEGORY, position: 0 }),
      textChannel('202', 'rules', { parent_id: CATEGORY, position: 1 }),
    ],
  });
}

describe('ChannelsTab', () => {
  it('renames a channel when the field is left', async () => {
    const { fake } = renderWithApp(<ChannelsTab guildId={GUILD_ID} />, channelsState());
    const field = screen.getByLabelText('Name of text channel rules');
    fireEvent.change(field, { target: { value: 'House Rules' } });
    fireEvent.blur(field);
    // Text channel names are lower case with dashes, as the server stores them.
    await waitFor(() => expect(fake.callsOf('updateChannel')).toEqual([['202', { name: 'house-rules' }]]));
  });

  it('moves a channel down among its siblings, renumbering them', async () => {
    const { fake } = renderWithApp(<ChannelsTab guildId={GUILD_ID} />, channelsState());
    fireEvent.click(screen.getByRole('button', { name: 'Move general down' }));
    await waitFor(() => expect(fake.callsOf('reorderChannels')).toEqual([[GUILD_ID, [{ id: '202', position: 0 }, { id: '201', position: 1 }]]]));
  });

  it('moves a channel out of its category', async () => {
    const { fake } = renderWithApp(<ChannelsTab guildId={GUILD_ID} />, channelsState());
    fireEvent.change(screen.getByLabelText('Category of rules'), { target: { value: '' } });
    await waitFor(() => expect(fake.callsOf('reorderChannels')).toEqual([[GUILD_ID, [{ id: '202', position: 0, parent_id: null }]]]));
  });

  it('deletes a channel only after confirming', async () => {
    const { fake } = renderWithApp(<ChannelsTab guildId={GUILD_ID} />, channelsState());
    fireEvent.click(screen.getByRole('button', { name: 'Delete rules' }));
    expect(fake.callsOf('deleteChannel')).toEqual([]);
    const dialog = screen.getByRole('dialog', { name: 'Delete Channel' });
    await act(async () => fireEvent.click(dialog.querySelector('.btn-danger') as HTMLElement));
    expect(fake.callsOf('deleteChannel')).toEqual([['202']]);
  });

  it('opens the create dialogs for a channel and a category', () => {
    const { services } = renderWithApp(<ChannelsTab guildId={GUILD_ID} />, channelsState());
    fireEvent.click(screen.getByRole('button', { name: 'Create Category' }));
    expect(services.ui.getState().modal).toEqual({ type: 'create-channel', guildId: GUILD_ID, parentId: null, channelType: 4 });
  });

  it('shows the server’s refusal', async () => {
    const { fake } = renderWithApp(<ChannelsTab guildId={GUILD_ID} />, channelsState());
    fake.answers.set('reorderChannels', { ok: false, error: { code: 50013, status: 403, message: 'Missing Permissions' } });
    fireEvent.click(screen.getByRole('button', { name: 'Move rules up' }));
    expect((await screen.findByRole('alert')).textContent).toBe('You do not have permission to do that.');
  });
});

describe('CreateGuildModal', () => {
  it('creates the server and opens it', async () => {
    const { fake, services } = renderWithApp(<CreateGuildModal />, readyState());
    fake.answers.set('createGuild', { ok: true, value: { id: '777', name: 'Book Club' } });
    fireEvent.change(screen.getByLabelText(/Server name/), { target: { value: '  Book Club ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create' })));
    expect(fake.callsOf('createGuild')).toEqual([[{ name: 'Book Club' }]]);
    expect(services.ui.getState().selectedGuildId).toBe('777');
  });

  it('shows the server’s field error beside the name', async () => {
    const { fake } = renderWithApp(<CreateGuildModal />, readyState());
    fake.answers.set('createGuild', {
      ok: false,
      error: { code: 50035, status: 400, message: 'Invalid Form Body', errors: { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 2 and 100 in length.' }] } } },
    });
    fireEvent.change(screen.getByLabelText(/Server name/), { target: { value: 'x' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create' })));
    // Beside the field, and tied to it for screen readers.
    const field = screen.getByLabelText(/Server name/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(field.getAttribute('aria-describedby') ?? '')?.textContent).toContain('Must be between 2 and 100 in length.');
  });
});

describe('JoinGuildModal', () => {
  it('joins by a link and opens the server’s channel', async () => {
    const { fake, services } = renderWithApp(<JoinGuildModal />, readyState());
    fake.answers.set('acceptInvite', { ok: true, value: { code: 'abc', guild: { id: '777', name: 'Book Club' }, channel: { id: '778', name: 'general' } } });
    fireEvent.change(screen.getByLabelText(/Invite link/), { target: { value: 'http://hearth.test/invite/abc' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Join Server' })));
    expect(fake.callsOf('acceptInvite')).toEqual([['http://hearth.test/invite/abc']]);
    expect(services.ui.getState().channelByGuild['777']).toBe('778');
  });

  it('offers to switch servers for a link to another server, and never looks it up on this one', async () => {
    const { fake, services } = renderWithApp(<JoinGuildModal />, readyState());
    fireEvent.change(screen.getByLabelText(/Invite link/), { target: { value: 'https://other.example/invite/xyz789' } });
    expect(screen.getByText(/This invite is for a community on other.example/)).toBeTruthy();
    expect(screen.getByText(/Switching signs you out/)).toBeTruthy();
    fake.answers.set('setServerUrl', { ok: true, value: 'https://other.example' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Switch to other.example' })));
    expect(fake.callsOf('setServerUrl')).toEqual([['https://other.example']]);
    expect(fake.callsOf('getInvite')).toEqual([]);
    expect(fake.callsOf('acceptInvite')).toEqual([]);
    // Back with the bare code, to open on the new server once signed in there.
    expect(services.ui.getState().modal).toEqual({ type: 'join-guild', code: 'xyz789' });
  });

  it('keeps the user on this server when they cancel, and shows why a switch failed', async () => {
    const { fake, services } = renderWithApp(<JoinGuildModal initialCode="hearth://invite/other.example/xyz789" />, readyState());
    fake.answers.set('setServerUrl', { ok: false, error: { code: 0, status: 0, message: 'Cannot reach the Hearth server. Check the address and your connection.' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Switch to other.example' })));
    expect(screen.getByRole('alert').textContent).toContain('Cannot reach the Hearth server');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(services.ui.getState().modal).toBeNull();
  });

  it('says so when the invite is invalid or expired', async () => {
    const { fake } = renderWithApp(<JoinGuildModal />, readyState());
    fake.answers.set('acceptInvite', { ok: false, error: { code: 10006, status: 404, message: 'Unknown Invite' } });
    fireEvent.change(screen.getByLabelText(/Invite link/), { target: { value: 'nope' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Join Server' })));
    const field = screen.getByLabelText(/Invite link/);
    expect(document.getElementById(field.getAttribute('aria-describedby') ?? '')?.textContent).toContain('The invite is invalid or has expired.');
  });
});

describe('InviteModal', () => {
  const invite = (code: string, max_age: number, max_uses: number) => ({ ok: true as const, value: { code, max_age, max_uses, guild: { id: GUILD_ID, name: 'Test Guild' } } });

  it('creates a 7-day link at once, then one with the chosen expiry and uses, and copies it', async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const { fake } = renderWithApp(<InviteModal guildId={GUILD_ID} channelId="200" />, readyState());
    // Opening the dialog creates the default link (7 days, no limit) at once.
    await waitFor(() => expect(fake.callsOf('createInvite')).toHaveLength(1));

    fake.answers.set('createInvite', invite('second', 86400, 10));
    fireEvent.change(screen.getByLabelText('Expire after'), { target: { value: '86400' } });
    fireEvent.change(screen.getByLabelText('Max number of uses'), { target: { value: '10' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Generate a New Link' })));
    expect(fake.callsOf('createInvite')).toEqual([['200', { max_age: 604800, max_uses: 0 }], ['200', { max_age: 86400, max_uses: 10 }]]);
    expect(screen.getByTestId('invite-code').parentElement?.textContent).toContain('expires in 1 day, 10 uses');
    expect((screen.getByLabelText('Send a server invite link to a friend') as HTMLInputElement).value).toBe('http://hearth.test/invite/second');

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Copy' })));
    expect(writeText).toHaveBeenCalledWith('http://hearth.test/invite/second');
    expect(screen.getByRole('button', { name: 'Copied' })).toBeTruthy();
    vi.unstubAllGlobals();
  });
});
