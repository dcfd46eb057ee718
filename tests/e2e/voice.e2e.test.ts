/**
 * Issue 7 point 7, end to end in Chromium with fake audio devices (a generated WAV file as the
 * microphone: tones like syllables, with pauses): two users join one voice channel through the
 * web client, each sees the other there, audio flows both ways in voice-activity mode,
 * push-to-talk keeps the microphone off until the key is held, and speaking rings show, also to
 * a third member who is not in voice. Screenshots go to test-results/screenshots/.
 *
 * Audio is measured with WebRTC's own `getStats()`: an init script (test-only, nothing in the
 * app) remembers every RTCPeerConnection the page creates.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newUserPage, registerInBrowser, saveScreenshot, startServer, type RunningServer } from './support.js';

const GUILD = 'Voice Test';
const VOICE_CHANNEL = 'General';

interface User {
  context: BrowserContext;
  page: Page;
  errors: string[];
  id: string;
}

/** Inbound audio as WebRTC reports it, summed over the page's open peer connections. */
interface InboundAudio {
  bytesReceived: number;
  audioLevel: number;
  connections: number;
}

declare global {
  interface Window {
    /** Set by this test's init script only. */
    __e2ePeerConnections?: RTCPeerConnection[];
  }
}

/**
 * A mono 16-bit 48 kHz WAV Chromium loops as the microphone: 1.2 s of a voiced tone (220 Hz with
 * harmonics, like a held vowel) then 0.6 s of silence. Chromium's own fake microphone is a 50 ms
 * beep: shorter than voice activity takes to open, so it would never be heard, as with real
 * voice activity detection on a click.
 */
function writeVoiceLikeWav(file: string): void {
  const rate = 48_000;
  const samples = Math.round(rate * 1.8);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const voiced = t < 1.2 ? Math.min(1, t / 0.02, (1.2 - t) / 0.02) : 0;
    const wave = Math.sin(2 * Math.PI * 220 * t) + 0.5 * Math.sin(2 * Math.PI * 440 * t) + 0.25 * Math.sin(2 * Math.PI * 660 * t);
    data.writeInt16LE(Math.round(voiced * 0.25 * wave * 32767 / 1.75), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([header, data]));
}

function recordPeerConnections(): void {
  const Original = window.RTCPeerConnection;
  const created: RTCPeerConnection[] = [];
  window.__e2ePeerConnections = created;
  class Recorded extends Original {
    constructor(config?: RTCConfiguration) {
      super(config);
      created.push(this);
    }
  }
  window.RTCPeerConnection = Recorded;
}

async function open(browser: Browser, url: string): Promise<User> {
  const { context, page } = await newUserPage(browser);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(recordPeerConnections);
  await page.goto(url);
  return { context, page, errors, id: '' };
}

async function register(user: User, username: string, displayName: string): Promise<void> {
  const { page } = user;
  await registerInBrowser(page, username, displayName);
  const token = await page.evaluate(() => localStorage.getItem('hearth.token'));
  const me = await fetch(`${new URL(page.url()).origin}/api/v10/users/@me`, { headers: { authorization: token ?? '' } });
  user.id = ((await me.json()) as { id: string }).id;
}

async function inboundAudio(page: Page): Promise<InboundAudio> {
  return page.evaluate(async () => {
    const open = (window.__e2ePeerConnections ?? []).filter((pc) => pc.connectionState !== 'closed');
    let bytesReceived = 0;
    let audioLevel = 0;
    for (const pc of open) {
      const report = await pc.getStats();
      report.forEach((entry: { type: string; kind?: string; bytesReceived?: number; audioLevel?: number }) => {
        if (entry.type !== 'inbound-rtp' || entry.kind !== 'audio') return;
        bytesReceived += entry.bytesReceived ?? 0;
        audioLevel = Math.max(audioLevel, entry.audioLevel ?? 0);
      });
    }
    return { bytesReceived, audioLevel, connections: open.length };
  });
}

/** The highest inbound audio level seen while sampling for `ms` (the fake microphone beeps). */
async function peakInboundLevel(page: Page, ms: number): Promise<number> {
  let peak = 0;
  for (const end = Date.now() + ms; Date.now() < end; ) {
    peak = Math.max(peak, (await inboundAudio(page)).audioLevel);
    await page.waitForTimeout(50);
  }
  return peak;
}

/** Waits until the inbound level exceeds zero; returns it (0 after the deadline). */
async function waitForInboundLevel(page: Page, ms: number): Promise<number> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    const { audioLevel } = await inboundAudio(page);
    if (audioLevel > 0) return audioLevel;
    await page.waitForTimeout(50);
  }
  return 0;
}

function voiceChannelButton(page: Page) {
  return page.getByRole('button', { name: new RegExp(`^${VOICE_CHANNEL} \\(voice channel\\)`) });
}

function participant(page: Page, userId: string) {
  return page.locator(`.voice-members li[data-user-id="${userId}"]`);
}

describe('voice between two users in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let alice: User;
  let bob: User;
  /** A member who never joins voice: sees who is in it and who speaks from the channel list. */
  let cat: User;
  let audioDir = '';

  beforeAll(async () => {
    audioDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-voice-e2e-'));
    const wav = path.join(audioDir, 'voice.wav');
    writeVoiceLikeWav(wav);
    server = await startServer();
    browser = await launchBrowser([`--use-file-for-fake-audio-capture=${wav}`]);
    alice = await open(browser, server.url);
    bob = await open(browser, server.url);
    cat = await open(browser, server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(audioDir, { recursive: true, force: true });
  });

  it('sets up a guild the three users are in', async () => {
    await register(alice, 'alice', 'Alice');
    await register(bob, 'bob', 'Bob');
    await register(cat, 'cat', 'Cat');
    await alice.page.getByRole('button', { name: 'Add a Server' }).click();
    await alice.page.getByLabel('Server name').fill(GUILD);
    await alice.page.getByRole('button', { name: 'Create', exact: true }).click();
    await alice.page.getByRole('textbox', { name: 'Message #general' }).waitFor();

    const token = await alice.page.evaluate(() => localStorage.getItem('hearth.token'));
    const guilds = (await (await fetch(`${server.url}/api/v10/users/@me/guilds`, { headers: { authorization: token ?? '' } })).json()) as { id: string }[];
    const channels = (await (await fetch(`${server.url}/api/v10/guilds/${guilds[0]?.id}/channels`, { headers: { authorization: token ?? '' } })).json()) as { id: string; type: number }[];
    const text = channels.find((c) => c.type === 0);
    const invite = (await (await fetch(`${server.url}/api/v10/channels/${text?.id}/invites`, {
      method: 'POST', headers: { authorization: token ?? '', 'content-type': 'application/json' }, body: '{}',
    })).json()) as { code: string };

    for (const user of [bob, cat]) {
      await user.page.getByRole('button', { name: 'Join a Server' }).first().click();
      await user.page.getByLabel('Invite link').fill(`${server.url}/invite/${invite.code}`);
      await user.page.getByRole('button', { name: 'Join Server' }).click();
      await user.page.getByRole('textbox', { name: 'Message #general' }).waitFor();
    }
  });

  // Both pages share one fake microphone playing in step: echo cancellation would take each
  // user's voice for the echo of the other's and remove it. Real users have separate rooms.
  it('switches the audio processing off in voice settings', async () => {
    for (const user of [alice, bob]) {
      const page = user.page;
      await page.getByRole('button', { name: 'User Settings' }).click();
      await page.getByRole('tab', { name: 'Voice & Video' }).click();
      for (const name of ['Echo cancellation', 'Noise suppression', 'Automatic gain control']) {
        await page.getByRole('checkbox', { name }).uncheck();
        await expect.poll(() => page.getByRole('checkbox', { name }).isChecked()).toBe(false);
      }
      await page.keyboard.press('Escape');
      await page.getByRole('heading', { name: 'Voice Settings' }).waitFor({ state: 'hidden' });
    }
  });

  it('joins voice with one click; each sees the other in the channel', async () => {
    await voiceChannelButton(alice.page).click();
    await alice.page.getByText('Voice Connected').waitFor();
    await participant(bob.page, alice.id).waitFor();

    await voiceChannelButton(bob.page).click();
    await bob.page.getByText('Voice Connected').waitFor();
    await participant(alice.page, bob.id).waitFor();
    await participant(bob.page, alice.id).waitFor();
    await participant(bob.page, bob.id).waitFor();
    await participant(cat.page, alice.id).waitFor();
    await participant(cat.page, bob.id).waitFor();
    expect(await alice.page.getByRole('region', { name: 'Voice connection' }).textContent()).toContain(`${VOICE_CHANNEL} / ${GUILD}`);
  });

  it('carries audio both ways in voice-activity mode: inbound bytes grow and audioLevel rises', async () => {
    for (const user of [alice, bob]) {
      await expect.poll(async () => (await inboundAudio(user.page)).connections, { timeout: 20_000 }).toBe(1);
      const before = (await inboundAudio(user.page)).bytesReceived;
      await expect.poll(async () => (await inboundAudio(user.page)).bytesReceived, { timeout: 15_000 }).toBeGreaterThan(before + 1000);
      expect(await waitForInboundLevel(user.page, 15_000)).toBeGreaterThan(0);
    }
  });

  it('shows the ping from WebRTC stats and speaking rings for what each side transmits', async () => {
    await alice.page.locator('.voice-ping').waitFor({ timeout: 15_000 });
    const ping = Number(await alice.page.locator('.voice-ping').getAttribute('data-ping-ms'));
    expect(ping).toBeGreaterThanOrEqual(0);
    expect(ping).toBeLessThan(1000);

    // Bob's ring lights for Alice while his voice is heard, and Alice's for Bob.
    await participant(alice.page, bob.id).and(alice.page.locator('[data-speaking="true"]')).waitFor({ timeout: 15_000 });
    await participant(bob.page, alice.id).and(bob.page.locator('[data-speaking="true"]')).waitFor({ timeout: 15_000 });
    await saveScreenshot(alice.page, 'voice-connected');

    // Cat is not in voice: the server relays who speaks (op 41 → HEARTH_VOICE_SPEAKING).
    await participant(cat.page, alice.id).and(cat.page.locator('[data-speaking="true"]')).waitFor({ timeout: 15_000 });
    await participant(cat.page, bob.id).and(cat.page.locator('[data-speaking="true"]')).waitFor({ timeout: 15_000 });
    await saveScreenshot(cat.page, 'voice-watcher');
  });

  it('offers voice settings with a live microphone level', async () => {
    const page = alice.page;
    await page.getByRole('button', { name: 'User Settings' }).click();
    await page.getByRole('tab', { name: 'Voice & Video' }).click();
    await page.getByRole('heading', { name: 'Voice Settings' }).waitFor();
    const meter = page.getByRole('meter', { name: 'Microphone level' });
    await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(-100);
    await saveScreenshot(page, 'voice-settings');
  });

  it('in push-to-talk mode sends nothing with the key up, and audio while it is held', async () => {
    const page = alice.page;
    await page.getByRole('radio', { name: 'Push to Talk' }).check();
    await page.getByRole('button', { name: 'Record shortcut' }).click();
    await page.keyboard.press('F8');
    await expect.poll(async () => page.locator('.key-binding-current').textContent()).toBe('F8');
    await page.getByLabel('Push to Talk Release Delay').fill('0');
    await saveScreenshot(page, 'voice-push-to-talk-settings');
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Voice Settings' }).waitFor({ state: 'hidden' });

    // Levels are averaged over a short window: let the last beep fade before measuring silence.
    await bob.page.waitForTimeout(1000);
    expect(await peakInboundLevel(bob.page, 2500)).toBe(0);
    await participant(bob.page, alice.id).and(bob.page.locator('[data-speaking="false"]')).waitFor();

    await page.keyboard.down('F8');
    try {
      expect(await waitForInboundLevel(bob.page, 10_000)).toBeGreaterThan(0);
      await participant(bob.page, alice.id).and(bob.page.locator('[data-speaking="true"]')).waitFor({ timeout: 10_000 });
      await saveScreenshot(bob.page, 'voice-push-to-talk');
    } finally {
      await page.keyboard.up('F8');
    }
    await bob.page.waitForTimeout(1000);
    // After release the decoder may leave a residue of one quantization step (1/32768) in the
    // level it reports; anything audible would be orders of magnitude above -60 dBFS.
    expect(await peakInboundLevel(bob.page, 1500)).toBeLessThan(0.001);
  });

  it('leaves voice with Disconnect; the other side sees it', async () => {
    await bob.page.getByRole('button', { name: 'Disconnect' }).click();
    await participant(alice.page, bob.id).waitFor({ state: 'detached' });
    await expect.poll(async () => (await inboundAudio(alice.page)).connections, { timeout: 10_000 }).toBe(0);
    await participant(cat.page, bob.id).waitFor({ state: 'detached' });
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
    expect(cat.errors).toEqual([]);
  });
});
