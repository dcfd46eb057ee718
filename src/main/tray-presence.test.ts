/** Tray presence on Linux follows the StatusNotifierWatcher on a real (private) session bus. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionBus } from './session-bus.js';
import { StatusNotifierTray } from './tray-presence.js';
import { hasDbusDaemon, startPrivateBus, type PrivateBus } from './test-support/private-bus.js';
import { sessionBus } from '@jellybrick/dbus-next';

describe('StatusNotifierTray', () => {
  it('is absent without a session bus', async () => {
    expect((await StatusNotifierTray.watch(null)).available).toBe(false);
  });
});

describe.skipIf(!hasDbusDaemon && !process.env.CI)('StatusNotifierTray on a real session bus', () => {
  let bus: PrivateBus;
  beforeEach(async () => {
    bus = await startPrivateBus();
  });
  afterEach(async () => {
    await bus.stop();
  });

  it('sees the tray watcher come and go (a desktop, or an extension switched on and off)', async () => {
    const app = await SessionBus.connect(bus.address);
    try {
      const tray = await StatusNotifierTray.watch(app);
      expect(tray.available).toBe(false);
      const desktop = sessionBus({ busAddress: bus.address });
      await new Promise<void>((resolve) => desktop.once('connect', () => resolve()));
      await desktop.requestName('org.kde.StatusNotifierWatcher', 0);
      await vi.waitFor(() => expect(tray.available).toBe(true));
      desktop.disconnect();
      await vi.waitFor(() => expect(tray.available).toBe(false));
    } finally {
      app.disconnect();
    }
  });
});
