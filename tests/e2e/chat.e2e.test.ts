/**
 * Issue 6 point 11 end to end: two users in separate browser contexts chat live through the web
 * client the server serves. Screenshots of the main screens go to test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { png } from '../../src/server/test-support/uploads.js';
import { launchBrowser, newUserPage, registerInBrowser, saveScreenshot, startServer, type RunningServer } from './support.js';

const GUILD = 'Hearth Test';
const SEEDED = 500;
const SEED_AUTHORS = 10;

interface User {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

async function open(browser: Browser, url: string): Promise<User> {
  const { context, page } = await newUserPage(browser);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { context, page, errors };
}

function composer(page: Page, channel: string) {
  return page.getByRole('textbox', { name: `Message #${channel}` });
}

async function send(page: Page, channel: string, text: string): Promise<void> {
  await composer(page, channel).fill(text);
  await composer(page, channel).press('Enter');
}

function messageLog(page: Page) {
  return page.getByRole('log');
}

/** The seed numbers ("Seed 042" is 42) of the message rows at least partly inside the message view. */
function visibleSeedNumbers(page: Page): Promise<number[]> {
  return messageLog(page).evaluate((scroller) => {
    const view = scroller.getBoundingClientRect();
    return Array.from(scroller.querySelectorAll('.message-content'))
      .filter((content) => {
        const row = content.closest('[role="listitem"]')?.getBoundingClientRect();
        return row !== undefined && row.bottom > view.top && row.top < view.bottom;
      })
      .map((content) => /Seed (\d{3})/.exec(content.textContent ?? '')?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
  });
}

function message(page: Page, text: string) {
  return messageLog(page).locator('article', { hasText: text });
}

/** A REST call with a user's token (seeding through the API, as a bot would). */
async function api<T>(base: string, token: string | null, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}/api/v10${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: token } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? null : await response.json()) as T;
}

describe('web client chat between two users', () => {
  let server: RunningServer;
  let browser: Browser;
  let alice: User;
  let bob: User;
  let inviteCode = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    alice = await open(browser, server.url);
    bob = await open(browser, server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('registers both users; A creates a guild and an invite; B joins by the invite', async () => {
    await registerInBrowser(alice.page, 'alice', 'Alice');
    await registerInBrowser(bob.page, 'bob', 'Bob');
    await saveScreenshot(alice.page, 'welcome');

    await alice.page.getByRole('button', { name: 'Add a Server' }).click();
    await alice.page.getByLabel('Server name').fill(GUILD);
    await alice.page.getByRole('button', { name: 'Create', exact: true }).click();
    await composer(alice.page, 'general').waitFor();

    await alice.page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name: GUILD }).click({ button: 'right' });
    await alice.page.getByRole('menuitem', { name: 'Invite People' }).click();
    const code = alice.page.getByTestId('invite-code');
    await code.waitFor();
    inviteCode = (await code.textContent()) ?? '';
    expect(inviteCode).toMatch(/^\w+$/);
    await saveScreenshot(alice.page, 'invite');
    await alice.page.getByRole('button', { name: 'Close' }).click();

    await bob.page.getByRole('button', { name: 'Join a Server' }).first().click();
    await bob.page.getByLabel('Invite link').fill(`${server.url}/invite/${inviteCode}`);
    await bob.page.getByText(`You are joining ${GUILD}`).waitFor();
    await bob.page.getByRole('button', { name: 'Join Server' }).click();
    await composer(bob.page, 'general').waitFor();
    await alice.page.getByRole('complementary', { name: 'Members' }).getByRole('button', { name: /^Bob, / }).waitFor();
  });

  // Before any message: the client sends one typing request per 8 s per channel.
  it('shows "Alice is typing…" to Bob', async () => {
    await composer(alice.page, 'general').pressSequentially('typing something', { delay: 20 });
    await bob.page.getByText('Alice is typing…').waitFor();
    await saveScreenshot(bob.page, 'typing');
    await composer(alice.page, 'general').fill('');
  });

  it('delivers messages live both ways', async () => {
    await send(alice.page, 'general', 'Hello from **Alice**');
    await message(bob.page, 'Hello from Alice').waitFor();
    expect(await message(bob.page, 'Hello from Alice').locator('strong').textContent()).toBe('Alice');
    // Her message ends her typing indicator at once, as in Discord.
    await bob.page.getByText('Alice is typing…').waitFor({ state: 'hidden', timeout: 2000 });

    await send(bob.page, 'general', 'Hi Alice, Bob here');
    await message(alice.page, 'Hi Alice, Bob here').waitFor();
    await saveScreenshot(bob.page, 'chat');
  });

  it('propagates an edit and a delete', async () => {
    await send(alice.page, 'general', 'This will change');
    await message(bob.page, 'This will change').waitFor();
    const mine = message(alice.page, 'This will change');
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    await alice.page.getByRole('textbox', { name: 'Edit message' }).fill('This has changed');
    await alice.page.getByRole('textbox', { name: 'Edit message' }).press('Enter');
    const edited = message(bob.page, 'This has changed');
    await edited.waitFor();
    expect(await edited.textContent()).toContain('(edited)');

    await send(alice.page, 'general', 'Delete me soon');
    await message(bob.page, 'Delete me soon').waitFor();
    await message(alice.page, 'Delete me soon').hover();
    await message(alice.page, 'Delete me soon').getByRole('button', { name: 'Delete' }).click();
    await alice.page.getByRole('dialog', { name: 'Delete Message' }).getByRole('button', { name: 'Delete' }).click();
    await message(bob.page, 'Delete me soon').waitFor({ state: 'detached' });
    await message(alice.page, 'Delete me soon').waitFor({ state: 'detached' });
  });

  it('shows a reply with its quote, a reaction both ways, and formatted text', async () => {
    const original = message(bob.page, 'Hello from Alice');
    await original.hover();
    await original.getByRole('button', { name: 'Reply' }).click();
    await composer(bob.page, 'general').fill('Quoting you: `code`, ||spoiler||, ~~gone~~ and https://example.com\n> a quote');
    await composer(bob.page, 'general').press('Enter');
    const reply = message(alice.page, 'Quoting you');
    await reply.waitFor();
    expect(await reply.getByRole('button', { name: /^Replying to Alice/ }).count()).toBe(1);
    expect(await reply.locator('code').textContent()).toBe('code');
    expect(await reply.getByRole('link', { name: 'https://example.com' }).count()).toBe(1);

    await reply.hover();
    await reply.getByRole('button', { name: 'Add Reaction' }).first().click();
    await alice.page.getByRole('dialog', { name: 'Add reaction' }).getByRole('button', { name: ':thumbs_up:' }).click();
    await message(bob.page, 'Quoting you').getByRole('button', { name: '👍, 1 reaction' }).waitFor();
    await saveScreenshot(bob.page, 'chat-rich');
  });

  it('shows Bob as Do Not Disturb to Alice', async () => {
    await bob.page.getByRole('button', { name: /^Set status/ }).click();
    await bob.page.getByRole('menuitemradio', { name: /Do Not Disturb/ }).click();
    await alice.page.getByRole('complementary', { name: 'Members' }).getByRole('button', { name: 'Bob, Do Not Disturb' }).waitFor();
    await saveScreenshot(alice.page, 'members-dnd');
  });

  it('keeps history across a reload', async () => {
    await alice.page.reload();
    await message(alice.page, 'Hi Alice, Bob here').waitFor();
    await message(alice.page, 'This has changed').waitFor();
    expect(await message(alice.page, 'Delete me soon').count()).toBe(0);
  });

  it('shows an uploaded image to Bob through its signed URL', async () => {
    const token = await alice.page.evaluate(() => localStorage.getItem('hearth.token'));
    const guilds = await api<{ id: string; name: string }[]>(server.url, token, 'GET', '/users/@me/guilds');
    const channels = await api<{ id: string; name: string }[]>(server.url, token, 'GET', `/guilds/${guilds.find((g) => g.name === GUILD)?.id}/channels`);
    const general = channels.find((c) => c.name === 'general');
    const form = new FormData();
    form.append('files[0]', new Blob([new Uint8Array(png(48, 32))], { type: 'image/png' }), 'grey.png');
    form.append('payload_json', JSON.stringify({ content: 'a grey picture' }));
    const response = await fetch(`${server.url}/api/v10/channels/${general?.id}/messages`, { method: 'POST', headers: { authorization: token ?? '' }, body: form });
    expect(response.status).toBe(200);
    const image = message(bob.page, 'a grey picture').getByRole('img', { name: 'grey.png' });
    await image.waitFor();
    await bob.page.waitForFunction((img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth === 48, await image.elementHandle());
    expect(await image.getAttribute('src')).toMatch(/\/attachments\/\d+\/\d+\/grey\.png\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}&$/);
    // Without its signature the file is not served.
    const unsigned = (await image.getAttribute('src'))!.split('?')[0]!;
    expect((await fetch(unsigned)).status).toBe(404);
  });

  it('lists Alice\'s devices, marks this one, and logs the others out', async () => {
    const elsewhere = await api<{ token: string }>(server.url, null, 'POST', '/auth/login', { login: 'alice', password: 'correct horse battery staple' });
    await alice.page.getByRole('button', { name: 'User Settings' }).click();
    await alice.page.getByRole('tab', { name: 'Devices' }).click();
    const devices = alice.page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem');
    await devices.nth(1).waitFor();
    expect(await devices.count()).toBe(2);
    expect(await devices.first().textContent()).toMatch(/^Hearth Web on \w+ · This device/);
    await saveScreenshot(alice.page, 'devices');
    await alice.page.getByRole('button', { name: 'Log out all other sessions' }).click();
    await devices.nth(1).waitFor({ state: 'detached' });
    expect(await devices.count()).toBe(1);
    const refused = await fetch(`${server.url}/api/v10/users/@me`, { headers: { authorization: elsewhere.token } });
    expect(refused.status).toBe(401);
    await alice.page.getByRole('button', { name: 'Close' }).click();
    await composer(alice.page, 'general').waitFor();
  });

  it('loads 500 seeded messages page by page, in order, while scrolling up', async () => {
    const token = await alice.page.evaluate(() => localStorage.getItem('hearth.token'));
    expect(token).toBeTruthy();
    const guilds = await api<{ id: string; name: string }[]>(server.url, token, 'GET', '/users/@me/guilds');
    const guildId = guilds.find((g) => g.name === GUILD)?.id ?? '';
    const channel = await api<{ id: string }>(server.url, token, 'POST', `/guilds/${guildId}/channels`, { name: 'history', type: 0 });
    // Several authors, so the per-user rate limit (50 per 10 s per channel) is never hit.
    const authors: string[] = [];
    for (let i = 0; i < SEED_AUTHORS; i++) {
      const auth = await api<{ token: string }>(server.url, null, 'POST', '/auth/register', { username: `seed${i}`, password: 'seed password 123' });
      await api(server.url, auth.token, 'POST', `/invites/${inviteCode}`);
      authors.push(auth.token);
    }
    for (let n = 1; n <= SEEDED; n++) {
      await api(server.url, authors[n % SEED_AUTHORS] ?? null, 'POST', `/channels/${channel.id}/messages`, { content: `Seed ${String(n).padStart(3, '0')}` });
    }

    const page = alice.page;
    await page.getByRole('button', { name: /^history \(text channel\)/ }).click();
    await message(page, `Seed ${SEEDED}`).waitFor();
    const scroller = messageLog(page);
    const seen = new Set<number>();
    let oldestSeen = Infinity;
    let maxRows = 0;
    for (let step = 0; step < 60 && !(await page.getByRole('heading', { name: 'Welcome to #history!' }).isVisible()); step++) {
      const numbers = await visibleSeedNumbers(page);
      // Whatever is on screen is in order, oldest first, with none missing.
      expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i));
      // The view never jumps past messages: what is new on screen continues right above what was
      // seen (the newly seen older messages are exactly the next older ones).
      const newest = numbers[numbers.length - 1];
      if (newest !== undefined && oldestSeen !== Infinity && (numbers[0] ?? Infinity) < oldestSeen) {
        expect(newest, `step ${step}: saw ${numbers.join(',')} after reaching ${oldestSeen}`).toBeGreaterThanOrEqual(oldestSeen - 1);
      }
      numbers.forEach((n) => seen.add(n));
      oldestSeen = Math.min(oldestSeen, ...numbers);
      maxRows = Math.max(maxRows, await scroller.getByRole('listitem').count());
      if (step === 2) await saveScreenshot(page, 'history-scrolling');
      await scroller.evaluate((element) => element.scrollBy(0, -element.clientHeight));
      await page.waitForTimeout(150);
    }
    await page.getByRole('heading', { name: 'Welcome to #history!' }).waitFor();
    const top = (await scroller.locator('.message-content').allTextContents()).map((t) => Number(/Seed (\d{3})/.exec(t)?.[1]));
    top.forEach((n) => seen.add(n));
    expect(top[0]).toBe(1);
    expect(seen.size).toBe(SEEDED);
    // Virtualized: the DOM holds a window of rows, never the whole channel.
    expect(maxRows).toBeLessThan(120);
  });

  it('shows an unread badge for a channel Bob is not viewing, cleared when he opens it', async () => {
    await bob.page.getByRole('button', { name: /^general \(text channel\)/ }).click();
    await alice.page.getByRole('button', { name: GUILD, exact: true }).last().click();
    await alice.page.getByRole('menuitem', { name: 'Create Channel' }).click();
    await alice.page.getByLabel('Channel name').fill('random');
    await alice.page.getByRole('button', { name: 'Create Channel', exact: true }).click();
    await send(alice.page, 'random', 'ping in random');

    const unread = bob.page.getByRole('button', { name: 'random (text channel), unread' });
    await unread.waitFor();
    await saveScreenshot(bob.page, 'unread');
    await unread.click();
    await message(bob.page, 'ping in random').waitFor();
    // Read at the bottom: leaving the channel again shows it read.
    await bob.page.getByRole('button', { name: /^general \(text channel\)/ }).click();
    await bob.page.getByRole('button', { name: 'random (text channel)', exact: true }).waitFor();
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });
  it('lets the owner rename the guild, make a hoisted role, give it to Bob, revoke the invite and kick', async () => {
    const page = alice.page;
    await page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name: GUILD }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Server Settings' }).click();
    const settings = page.getByRole('dialog', { name: /Server Settings/ });
    await settings.getByLabel('Server name').fill('Hearth Crew');
    await settings.getByRole('button', { name: 'Save Changes' }).click();
    await bob.page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name: 'Hearth Crew' }).waitFor();

    await settings.getByRole('tab', { name: 'Roles' }).click();
    await settings.getByRole('button', { name: 'Create Role' }).click();
    await settings.getByLabel('Role name').fill('Moderators');
    await settings.getByRole('button', { name: 'Colour #e91e63' }).click();
    await settings.getByRole('checkbox', { name: 'Display role members separately from online members' }).check();
    await settings.getByRole('button', { name: 'Save Changes' }).click();
    await settings.getByRole('button', { name: 'Moderators', exact: true }).waitFor();
    await saveScreenshot(page, 'guild-settings-roles');

    await settings.getByRole('tab', { name: 'Members' }).click();
    await settings.getByLabel('Roles of Bob').click();
    await settings.getByRole('checkbox', { name: 'Moderators' }).check();
    await settings.getByRole('button', { name: 'Kick seed0' }).click();
    await page.getByRole('dialog', { name: "Kick 'seed0' from Server" }).getByRole('button', { name: 'Kick' }).click();
    await settings.getByRole('button', { name: 'Kick seed0' }).waitFor({ state: 'detached' });

    await settings.getByRole('tab', { name: 'Invites' }).click();
    await settings.getByRole('button', { name: `Revoke invite ${inviteCode}` }).click();
    await settings.getByRole('button', { name: `Revoke invite ${inviteCode}` }).waitFor({ state: 'detached' });
    await settings.getByRole('button', { name: 'Close' }).click();

    const members = page.getByRole('complementary', { name: 'Members' });
    await members.getByRole('heading', { name: 'Moderators — 1' }).waitFor();
    const lookup = await fetch(`${server.url}/api/v10/invites/${inviteCode}`);
    expect(lookup.status).toBe(404);
  });

  it('switches to the light theme', async () => {
    await alice.page.getByRole('button', { name: 'User Settings' }).click();
    await alice.page.getByRole('tab', { name: 'Appearance' }).click();
    await alice.page.getByRole('radio', { name: 'Light' }).check();
    await alice.page.getByRole('button', { name: 'Close' }).click();
    expect(await alice.page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await saveScreenshot(alice.page, 'light-theme');
    // Still usable at 940 px: the member list folds away, the chat keeps its width.
    await alice.page.setViewportSize({ width: 940, height: 700 });
    await composer(alice.page, 'random').waitFor();
    expect(await alice.page.getByRole('complementary', { name: 'Members' }).isVisible()).toBe(false);
    await saveScreenshot(alice.page, 'narrow-940');
    // The toggle stays: the member list opens as a drawer over the chat and closes again.
    await alice.page.getByRole('button', { name: 'Show Member List' }).click();
    await alice.page.getByRole('complementary', { name: 'Members' }).getByRole('button', { name: /^Bob, / }).waitFor();
    await saveScreenshot(alice.page, 'narrow-940-members');
    await alice.page.getByRole('button', { name: 'Hide Member List' }).click();
    await alice.page.getByRole('complementary', { name: 'Members' }).waitFor({ state: 'detached' });
    expect(alice.errors).toEqual([]);
  });
});
