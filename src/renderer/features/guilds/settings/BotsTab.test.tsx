import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Permission } from '../../../../shared/permissions.js';
import type { Application } from '../../../../shared/protocol/entities.js';
import type { CreatedApplication } from '../../../../shared/protocol/rest.js';
import { StateMirror } from '../../../../client/state/mirror.js';
import { AppContext, type AppServices } from '../../../app/hooks.js';
import { UiStore } from '../../../app/ui-store.js';
import { FakeBridge, GUILD_ID, readyState, user } from '../../../test-support/harness.js';
import { BotsTab } from './BotsTab.js';

const ALL_INTENTS = (1 << 12) | (1 << 14) | (1 << 18);
const HELPER: Application = {
  id: '700', name: 'Helper', description: 'Answers questions', icon: null, bot_public: false, bot_require_code_grant: false,
  flags: ALL_INTENTS, approximate_guild_count: 2, bot: { ...user('701', 'helper'), bot: true },
};
const CREATED: CreatedApplication = {
  id: '710', name: 'Greeter', description: '', icon: null, bot_public: false, bot_require_code_grant: false,
  flags: ALL_INTENTS, approximate_guild_count: 0, bot: { ...user('711', 'greeter'), bot: true }, token: 'NzEx.secret-token',
};

/** I hold View Channels, Send Messages and Manage Server through @everyone. */
const GRANTED = Permission.VIEW_CHANNEL | Permission.SEND_MESSAGES | Permission.MANAGE_GUILD;

/** Renders the tab over a bridge that already knows my bots (the tab lists them on mount). */
function renderTab() {
  const fake = new FakeBridge(readyState({ everyonePermissions: GRANTED }));
  fake.answers.set('listApplications', { ok: true, value: [HELPER] });
  const services: AppServices = { bridge: fake.bridge, store: new StateMirror(fake.bridge), ui: new UiStore(null) };
  render(<AppContext.Provider value={services}><BotsTab guildId={GUILD_ID} /></AppContext.Provider>);
  return { fake };
}

afterEach(() => cleanup());

describe('BotsTab', () => {
  it('lists my bots and creates one, showing its token once', async () => {
    const { fake } = renderTab();
    fake.answers.set('createApplication', { ok: true, value: CREATED });
    expect((await screen.findByRole('listitem', { name: 'Helper' })).textContent).toContain('@helper · in 2 server(s)');

    fireEvent.change(screen.getByLabelText(/New bot name/), { target: { value: ' Greeter ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create bot' })));
    expect(fake.callsOf('createApplication')).toEqual([[{ name: 'Greeter' }]]);
    const notice = screen.getByRole('region', { name: 'Token of Greeter' });
    expect(within(notice).getByDisplayValue('NzEx.secret-token')).toBeDefined();
    expect(screen.getByRole('listitem', { name: 'Greeter' })).toBeDefined();

    await act(async () => fireEvent.click(within(notice).getByRole('button', { name: 'I have copied the token' })));
    expect(screen.queryByDisplayValue('NzEx.secret-token')).toBeNull();
  });

  it('shows the server’s field error for a bad name', async () => {
    const { fake } = renderTab();
    fake.answers.set('createApplication', {
      ok: false,
      error: { code: 50035, status: 400, message: 'Invalid Form Body', errors: { name: { _errors: [{ code: 'BASE_TYPE_MIN_LENGTH', message: 'Must be 2 or more in length.' }] } } },
    });
    await screen.findByRole('listitem', { name: 'Helper' });
    fireEvent.change(screen.getByLabelText(/New bot name/), { target: { value: 'xy' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create bot' })));
    expect(screen.getByText(/Must be 2 or more in length/)).toBeDefined();
  });

  it('adds a bot with only permissions I hold, preselecting what a chat bot needs', async () => {
    const { fake } = renderTab();
    fake.answers.set('addBotToGuild', { ok: true, value: { user: HELPER.bot } });
    const card = await screen.findByRole('listitem', { name: 'Helper' });
    await act(async () => fireEvent.click(within(card).getByRole('button', { name: 'Add to this server' })));
    const picker = within(card).getByRole('form', { name: 'Permissions for Helper' });
    const checked = (name: RegExp) => (within(picker).getByRole('checkbox', { name }) as HTMLInputElement).checked;
    expect(checked(/View Channels/)).toBe(true);
    expect(checked(/Send Messages/)).toBe(true);
    expect(checked(/Manage Server/)).toBe(false);
    expect(within(picker).queryByRole('checkbox', { name: /Administrator/ })).toBeNull();

    await act(async () => fireEvent.click(within(picker).getByRole('button', { name: 'Add to this server' })));
    expect(fake.callsOf('addBotToGuild')).toEqual([[GUILD_ID, { application_id: '700', permissions: (Permission.VIEW_CHANNEL | Permission.SEND_MESSAGES).toString() }]]);
    expect(within(card).getByRole('status').textContent).toBe('Helper joined this server.');
  });

  it('switches a privileged intent off and resets the token after confirming', async () => {
    const { fake } = renderTab();
    fake.answers.set('updateApplication', { ok: true, value: { ...HELPER, flags: ALL_INTENTS & ~(1 << 18) } });
    fake.answers.set('resetBotToken', { ok: true, value: 'NzAx.new-token' });
    const card = await screen.findByRole('listitem', { name: 'Helper' });
    await act(async () => fireEvent.click(within(card).getByRole('checkbox', { name: /Message content intent/ })));
    expect(fake.callsOf('updateApplication')).toEqual([['700', { flags: ALL_INTENTS & ~(1 << 18) }]]);
    const intent = within(screen.getByRole('listitem', { name: 'Helper' })).getByRole('checkbox', { name: /Message content intent/ });
    expect((intent as HTMLInputElement).checked).toBe(false);

    await act(async () => fireEvent.click(within(card).getByRole('button', { name: 'Reset token' })));
    const dialog = screen.getByRole('dialog');
    expect(fake.callsOf('resetBotToken')).toEqual([]);
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Reset token' })));
    expect(fake.callsOf('resetBotToken')).toEqual([['700']]);
    expect(within(screen.getByRole('region', { name: 'Token of Helper' })).getByDisplayValue('NzAx.new-token')).toBeDefined();
  });
});
