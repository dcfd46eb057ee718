import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { ME, member, readyState, textChannel, user, CHANNEL_ID } from '../../test-support/harness.js';
import { VoiceChannelMembers } from '../guilds/VoiceChannelMembers.js';
import type { FakeBridge } from '../../test-support/harness.js';
import type { VoiceState } from '../../../shared/protocol/entities.js';
import { useClientState } from '../../app/hooks.js';
import { VOICE_ID, renderWithVoice, voiceChannel, voiceState } from './test-support.js';
import { VoicePanel } from './VoicePanel.js';
import { VoiceUserControls } from './VoiceUserControls.js';

const BOB = user('2', 'Bob');

afterEach(cleanup);

function state() {
  return readyState({ channels: [textChannel(CHANNEL_ID, 'general'), voiceChannel()], members: [member(BOB)] });
}

function pushVoiceState(fake: FakeBridge, voice: VoiceState): void {
  act(() => fake.push({ type: 'dispatch', t: 'VOICE_STATE_UPDATE', d: voice, receivedAt: Date.now() }));
}

/** The members under the voice channel, as the channel list renders them. */
function ChannelMembers() {
  const states = useClientState((s) => s.voiceStates['100']);
  return <VoiceChannelMembers guildId="100" voiceStates={Object.values(states ?? {}).filter((v) => v.channel_id === VOICE_ID)} />;
}

describe('VoicePanel', () => {
  it('shows where the user is connected, the ping, and disconnects', () => {
    const { fake, controller } = renderWithVoice(<VoicePanel />, state());
    expect(screen.queryByRole('region', { name: 'Voice connection' })).toBeNull();

    act(() => fake.push({ type: 'self-voice', voice: { guildId: '100', channelId: VOICE_ID, selfMute: false, selfDeaf: false } }));
    const panel = screen.getByRole('region', { name: 'Voice connection' });
    expect(panel.textContent).toContain('Connecting…');
    expect(panel.textContent).toContain('Lounge / Test Guild');

    act(() => controller.view.update((s) => ({ ...s, phase: 'connected', pingMs: 42 })));
    expect(panel.textContent).toContain('Voice Connected');
    expect(within(panel).getByText('42 ms')).toBeTruthy();

    fireEvent.click(within(panel).getByRole('button', { name: 'Disconnect' }));
    expect(fake.callsOf('leaveVoice')).toEqual([[]]);
  });

  it('shows a refused join as a clear message until dismissed', () => {
    const { fake } = renderWithVoice(<VoicePanel />, state());
    act(() => fake.push({
      type: 'dispatch', t: 'HEARTH_VOICE_ERROR', receivedAt: Date.now(),
      d: { op: 4, guild_id: '100', channel_id: VOICE_ID, code: 50104, message: 'This voice channel is full' },
    }));
    expect(screen.getByRole('alert').textContent).toBe('This voice channel is full.');

    fireEvent.click(screen.getByRole('button', { name: 'Dismiss voice message' }));
    expect(screen.queryByRole('alert')).toBeNull();

    act(() => fake.push({
      type: 'dispatch', t: 'HEARTH_VOICE_ERROR', receivedAt: Date.now(),
      d: { op: 4, guild_id: '100', channel_id: VOICE_ID, code: 50013, message: 'Missing Permissions' },
    }));
    expect(screen.getByRole('alert').textContent).toBe('You do not have permission to join this voice channel.');
  });

  it('ignores refused signals (the mesh retries them), showing nothing', () => {
    const { fake } = renderWithVoice(<VoicePanel />, state());
    act(() => fake.push({
      type: 'dispatch', t: 'HEARTH_VOICE_ERROR', receivedAt: Date.now(),
      d: { op: 40, guild_id: '100', channel_id: VOICE_ID, session_id: 'x', code: 40032, message: 'Target user is not connected to voice' },
    }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('VoiceUserControls', () => {
  it('mutes and deafens, and shows the state the client reports', () => {
    const { fake } = renderWithVoice(<VoiceUserControls />, state());
    const mute = screen.getByRole('button', { name: 'Mute' });
    const deafen = screen.getByRole('button', { name: 'Deafen' });
    expect(mute.getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(mute);
    expect(fake.callsOf('setSelfMute')).toEqual([[true]]);
    fireEvent.click(deafen);
    expect(fake.callsOf('setSelfDeaf')).toEqual([[true]]);

    // A global shortcut in the desktop app changes the state; the buttons follow.
    act(() => fake.push({ type: 'self-voice', voice: { guildId: null, channelId: null, selfMute: true, selfDeaf: true } }));
    expect(mute.getAttribute('aria-pressed')).toBe('true');
    expect(deafen.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(deafen);
    expect(fake.callsOf('setSelfDeaf')).toEqual([[true], [false]]);
  });
});

describe('voice channel participants', () => {
  it('lists who is in the channel with mute and deafen flags', () => {
    const { fake } = renderWithVoice(<ChannelMembers />, state());
    pushVoiceState(fake, voiceState(ME.id, 's'));
    pushVoiceState(fake, voiceState(BOB.id, 'b', { self_mute: true, deaf: true }));
    const rows = screen.getAllByRole('listitem');
    expect(rows.map((row) => row.getAttribute('aria-label'))).toEqual(['Ada', 'Bob (muted, server deafened)']);
  });

  it('rings a speaker announced by the server and drops the ring when their voice state changes', () => {
    const { fake } = renderWithVoice(<ChannelMembers />, state());
    pushVoiceState(fake, voiceState(BOB.id, 'b'));
    const bob = () => screen.getByRole('listitem');
    expect(bob().dataset.speaking).toBe('false');

    act(() => fake.push({ type: 'dispatch', t: 'HEARTH_VOICE_SPEAKING', receivedAt: Date.now(), d: { guild_id: '100', channel_id: VOICE_ID, user_id: BOB.id, speaking: true } }));
    expect(bob().dataset.speaking).toBe('true');
    expect(bob().className).toContain('speaking');
    expect(bob().getAttribute('aria-label')).toBe('Bob (speaking)');

    pushVoiceState(fake, voiceState(BOB.id, 'b', { self_mute: true }));
    expect(bob().dataset.speaking).toBe('false');
  });

  it('sets a participant’s volume and local mute from their menu, but offers no menu on oneself', () => {
    const { fake } = renderWithVoice(<ChannelMembers />, state());
    pushVoiceState(fake, voiceState(ME.id, 's'));
    pushVoiceState(fake, voiceState(BOB.id, 'b'));
    const [mine, bobs] = screen.getAllByRole('listitem') as [HTMLElement, HTMLElement];

    fireEvent.contextMenu(mine);
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.contextMenu(bobs, { clientX: 40, clientY: 60 });
    const menu = screen.getByRole('dialog', { name: 'Voice options for Bob' });
    const volume = within(menu).getByRole('slider', { name: 'User Volume' });
    expect((volume as HTMLInputElement).value).toBe('100');
    fireEvent.change(volume, { target: { value: '150' } });
    expect(fake.callsOf('updateSettings').at(-1)).toEqual([{ voice: { userVolumes: { [BOB.id]: 150 } } }]);

    fireEvent.click(within(menu).getByRole('checkbox', { name: 'Mute' }));
    expect(fake.callsOf('updateSettings').at(-1)).toEqual([{ voice: { mutedUsers: [BOB.id] } }]);

    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows a locally muted participant as muted for you', () => {
    const base = state();
    const { fake } = renderWithVoice(<ChannelMembers />, { ...base, settings: { ...base.settings, voice: { ...base.settings.voice, mutedUsers: [BOB.id] } } });
    pushVoiceState(fake, voiceState(BOB.id, 'b'));
    expect(screen.getByRole('listitem').getAttribute('aria-label')).toBe('Bob (muted for you)');
  });
});
