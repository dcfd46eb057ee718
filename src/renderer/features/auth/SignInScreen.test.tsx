import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { App } from '../../app/App.js';
import { createInitialState } from '../../../client/state/reducer.js';
import { renderWithApp } from '../../test-support/harness.js';
import { SignInScreen } from './SignInScreen.js';

afterEach(cleanup);

const SERVER = 'https://chat.example.org';

function signedOut(serverUrl: string | null = SERVER) {
  return createInitialState(undefined, serverUrl);
}

describe('SignInScreen', () => {
  it('signs in on the server an opened invite names, then the invite waits for the join dialog', async () => {
    const { fake, services } = renderWithApp(<App />, signedOut());
    act(() => fake.host({ type: 'open-invite', code: 'xyz789', server: 'https://other.example' }));
    expect((screen.getByLabelText(/Server address/) as HTMLInputElement).value).toBe('https://other.example');
    expect(screen.getByText('Sign in or create an account on https://other.example to join the invite you opened.')).toBeTruthy();
    fake.answers.set('setServerUrl', { ok: true, value: 'https://other.example' });
    fireEvent.change(screen.getByLabelText(/Username/), { target: { value: 'ada' } });
    fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'secret words' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log In' }));
    await waitFor(() => expect(fake.callsOf('setServerUrl')).toEqual([['https://other.example']]));
    expect(services.ui.getState().modal).toEqual({ type: 'join-guild', code: 'https://other.example/invite/xyz789' });
  });

  it('logs in on the remembered server without asking it again', async () => {
    const { fake } = renderWithApp(<SignInScreen />, signedOut());
    expect(screen.getByRole('heading', { name: 'Sign in to Hearth' })).toBeTruthy();
    expect((screen.getByLabelText(/Server address/) as HTMLInputElement).value).toBe(SERVER);
    fireEvent.change(screen.getByLabelText(/Username/), { target: { value: ' ada ' } });
    fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'secret words' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log In' }));
    await waitFor(() => expect(fake.callsOf('login')).toEqual([[{ login: 'ada', password: 'secret words' }]]));
    expect(fake.callsOf('setServerUrl')).toEqual([]);
  });

  it('shows the server’s field errors beside the fields when registering', async () => {
    const { fake } = renderWithApp(<SignInScreen />, signedOut());
    fake.answers.set('register', {
      ok: false,
      error: {
        code: 50035, status: 400, message: 'Invalid Form Body',
        errors: {
          username: { _errors: [{ code: 'USERNAME_ALREADY_TAKEN', message: 'Username is unavailable. Try adding numbers, letters, underscores _ , or periods.' }] },
          password: { _errors: [{ code: 'BASE_TYPE_MIN_LENGTH', message: 'Must be 8 or more in length.' }] },
        },
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Register' }));
    expect(screen.getByRole('heading', { name: 'Create an account' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Username/), { target: { value: 'ada' } });
    fireEvent.change(screen.getByLabelText(/Display name/), { target: { value: 'Ada L.' } });
    fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await screen.findByText(/Username is unavailable/);
    expect(fake.callsOf('register')).toEqual([[{ username: 'ada', password: 'short', global_name: 'Ada L.' }]]);
    const username = screen.getByRole('textbox', { name: /Username/ });
    expect(username.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText(/Password/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Must be 8 or more in length/)).toBeTruthy();
  });

  it('shows a clear screen when no server answers, and retries', async () => {
    const { fake } = renderWithApp(<SignInScreen />, signedOut(null));
    fake.answers.set('setServerUrl', { ok: false, error: { code: 0, status: 0, message: 'Cannot reach the Hearth server. Check the address and your connection.' } });
    fireEvent.change(screen.getByLabelText(/Server address/), { target: { value: 'chat.nowhere.test/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log In' }));
    await screen.findByRole('heading', { name: 'Can’t reach the server' });
    expect(screen.getByText('https://chat.nowhere.test')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(fake.callsOf('setServerUrl')).toEqual([['https://chat.nowhere.test'], ['https://chat.nowhere.test']]));
    fireEvent.click(await screen.findByRole('button', { name: 'Use a different server' }));
    expect(screen.getByRole('heading', { name: 'Sign in to Hearth' })).toBeTruthy();
  });

  it('refuses an address that is not a web address, beside the field', () => {
    const { fake } = renderWithApp(<SignInScreen />, signedOut(null));
    fireEvent.change(screen.getByLabelText(/Server address/), { target: { value: 'ftp://files.example.org' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log In' }));
    expect(screen.getByText(/Enter a web address such as/)).toBeTruthy();
    expect(fake.callsOf('setServerUrl')).toEqual([]);
  });
});
