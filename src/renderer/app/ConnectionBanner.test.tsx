import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, screen } from '@testing-library/react';
import { readyState, renderWithApp } from '../test-support/harness.js';
import { ConnectionBanner } from './ConnectionBanner.js';

afterEach(cleanup);

describe('ConnectionBanner', () => {
  it('is absent while connected, and explains reconnecting, resuming and failure', () => {
    const { fake } = renderWithApp(<ConnectionBanner />, readyState());
    expect(screen.queryByRole('status')).toBeNull();
    act(() => fake.push({ type: 'connection', connection: { status: 'reconnecting', reason: 'closed', closeCode: 1006, attempt: 1, retryAt: Date.now() + 5000 } }));
    expect(screen.getByRole('status').textContent).toMatch(/Connection lost\. Retrying in [45] s… Messages you send will be delivered when it is back\./);
    act(() => fake.push({ type: 'connection', connection: { status: 'resuming', reason: null, closeCode: null, attempt: 1, retryAt: null } }));
    expect(screen.getByRole('status').textContent).toBe('Reconnecting… Catching up on what you missed.');
    act(() => fake.push({ type: 'connection', connection: { status: 'failed', reason: 'Authentication failed', closeCode: 4004, attempt: 0, retryAt: null } }));
    expect(screen.getByRole('status').textContent).toBe('Disconnected from the server: Authentication failed. Sign in again to continue.');
    act(() => fake.push({ type: 'connection', connection: { status: 'ready', reason: null, closeCode: null, attempt: 0, retryAt: null } }));
    expect(screen.queryByRole('status')).toBeNull();
  });
});
