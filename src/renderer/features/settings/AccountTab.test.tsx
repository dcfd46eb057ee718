import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { readyState, renderWithApp } from '../../test-support/harness.js';
import { AccountTab } from './AccountTab.js';

afterEach(cleanup);

describe('AccountTab', () => {
  it('logs out and closes the settings', () => {
    const { fake, services } = renderWithApp(<AccountTab />, readyState());
    services.ui.openModal({ type: 'user-settings' });
    fireEvent.click(screen.getByRole('button', { name: 'Log Out' }));
    expect(fake.callsOf('logout')).toEqual([[]]);
    expect(services.ui.getState().modal).toBeNull();
  });

  it('saves my display name', async () => {
    const { fake } = renderWithApp(<AccountTab />, readyState());
    fireEvent.change(screen.getByLabelText(/Display name/), { target: { value: 'Countess' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save Changes' })));
    expect(fake.callsOf('updateProfile')).toEqual([[{ global_name: 'Countess' }]]);
    expect(screen.getByRole('status').textContent).toBe('Saved.');
  });
});
