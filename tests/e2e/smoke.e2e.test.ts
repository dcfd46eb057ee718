import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newUserPage, saveScreenshot, startServer, type RunningServer } from './support.js';

describe('web client', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('is served at / by the server and shows the sign-in screen', async () => {
    const { page, context } = await newUserPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Sign in to Hearth' }).waitFor({ state: 'visible', timeout: 15_000 });
    await saveScreenshot(page, 'sign-in');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
