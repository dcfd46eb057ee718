import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { AuthSession } from '../../../shared/protocol/rest.js';
import { readyState, renderWithApp } from '../../test-support/harness.js';
import { DevicesTab, deviceName } from './DevicesTab.js';

afterEach(cleanup);

function session(id: string, platform: string | null, os: string | null): AuthSession {
  return {
    id_hash: id, approx_last_used_time: '2026-03-02T10:00:00.000Z', created_at: '2026-03-01T09:00:00.000Z',
    client_info: { os, platform, location: null },
  };
}

const SESSIONS = [session('phone', 'Firefox', 'Android'), session('mine', 'Hearth Web', 'Linux'), session('laptop', 'Hearth Desktop', 'Windows')];

/** The tab for a client whose READY named `mine` as its own sign-in. */
function renderDevices(sessions: AuthSession[] = SESSIONS) {
  return renderWithApp(<DevicesTab />, { ...readyState(), authSessionId: 'mine' }, { listSessions: { ok: true, value: sessions } });
}

const rows = async () => within(await screen.findByRole('list', { name: 'Signed-in devices' })).getAllByRole('listitem').map((item) => item.textContent);

describe('DevicesTab', () => {
  it('lists every signed-in device, this one first and marked, without a log-out button of its own', async () => {
    renderDevices();
    const listed = await rows();
    expect(listed[0]).toMatch(/^Hearth Web on Linux · This device/);
    expect(listed.slice(1).map((text) => text?.split('Last active')[0])).toEqual(['Firefox on Android', 'Hearth Desktop on Windows']);
    expect(screen.queryByRole('button', { name: 'Log out Hearth Web on Linux' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Log out Firefox on Android' })).toBeTruthy();
  });

  it('logs out one device, then all the others, and shows the list the server answers', async () => {
    const { fake } = renderDevices();
    await rows();
    fake.answers.set('listSessions', { ok: true, value: SESSIONS.filter((s) => s.id_hash !== 'phone') });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Log out Firefox on Android' })));
    expect(fake.callsOf('logoutSessions')).toEqual([[['phone']]]);
    expect(await rows()).toHaveLength(2);

    fake.answers.set('listSessions', { ok: true, value: [SESSIONS[1]!] });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Log out all other sessions' })));
    expect(fake.callsOf('logoutSessions')).toEqual([[['phone']], [['laptop']]]);
    expect(await rows()).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Log out all other sessions' })).toBeNull();
  });

  it('says what went wrong when the server refuses', async () => {
    const { fake } = renderDevices();
    await rows();
    fake.answers.set('logoutSessions', { ok: false, error: { code: 0, message: 'The server cannot be reached.', status: 0 } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Log out all other sessions' })));
    expect(screen.getByRole('alert').textContent).toBe('The server cannot be reached.');
  });
});

describe('deviceName', () => {
  it('names the app and the system when known', () => {
    expect(deviceName(session('a', 'Hearth Desktop', 'Windows'))).toBe('Hearth Desktop on Windows');
    expect(deviceName(session('b', 'curl', null))).toBe('curl');
    expect(deviceName(session('c', null, null))).toBe('Unknown device');
  });
});
