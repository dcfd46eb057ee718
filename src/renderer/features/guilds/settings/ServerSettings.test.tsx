import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { BridgeError, RoleInput } from '../../../../shared/ipc/bridge.js';
import { Permission } from '../../../../shared/permissions.js';
import { GUILD_ID, readyState, renderWithApp, role } from '../../../test-support/harness.js';
import { OverviewTab } from './OverviewTab.js';
import { RoleEditor } from './RoleEditor.js';

afterEach(cleanup);

describe('RoleEditor', () => {
  it('saves the permissions ticked and unticked, as a decimal bitfield', async () => {
    const onSave = vi.fn(async (_input: RoleInput): Promise<BridgeError | null> => null);
    const moderator = role('400', 'Moderator', 1, { permissions: (Permission.VIEW_CHANNEL | Permission.KICK_MEMBERS).toString() });
    render(<RoleEditor role={moderator} isEveryone={false} onSave={onSave} onDelete={() => undefined} />);
    fireEvent.click(screen.getByRole('checkbox', { name: /^Manage Messages/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /^Kick Members/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save Changes' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    const input = onSave.mock.calls[0]![0];
    expect(BigInt(input.permissions ?? '0')).toBe(Permission.VIEW_CHANNEL | Permission.MANAGE_MESSAGES);
    expect(input.name).toBe('Moderator');
  });
});

describe('OverviewTab', () => {
  it('uploads a new server icon as a data URI', async () => {
    const { fake } = renderWithApp(<OverviewTab guildId={GUILD_ID} />, readyState());
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])], 'icon.png', { type: 'image/png' });
    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [png] } });
    await waitFor(() => expect((screen.getByRole('button', { name: 'Save Changes' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Save Changes' }));
    await waitFor(() => expect(fake.callsOf('updateGuild')).toHaveLength(1));
    const [guildId, changes] = fake.callsOf('updateGuild')[0] as [string, { icon: string }];
    expect(guildId).toBe(GUILD_ID);
    expect(changes.icon).toBe('data:image/png;base64,iVBORw0KGgo=');
  });

  it('refuses a file that is not an image, saying which kinds it takes', async () => {
    const { fake } = renderWithApp(<OverviewTab guildId={GUILD_ID} />, readyState());
    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' })] } });
    expect(await screen.findByText(/Choose a PNG, JPEG, GIF or WebP image\./)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save Changes' }) as HTMLButtonElement).disabled).toBe(true);
    expect(fake.callsOf('updateGuild')).toEqual([]);
  });
});
