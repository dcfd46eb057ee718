/**
 * The device tokens this client got from each server it signed in to (`device_token` of
 * register and login). They outlive sign-out on purpose: presented with the next sign-in as
 * `X-Hearth-Device`, a token tells the server this is one of the account's known devices, which
 * keeps its own count of failed attempts — so the owner can sign in here even while someone
 * else's guesses have the account throttled. Kept per server URL, and sent only to the server
 * that issued it.
 */
import type { KeyValueStorage } from './storage.js';

export class KnownDevices {
  constructor(private readonly storage: KeyValueStorage) {}

  /** The device token `serverUrl` gave this client, if any. */
  async tokenFor(serverUrl: string): Promise<string | undefined> {
    const token = (await this.all())[serverUrl];
    return typeof token === 'string' ? token : undefined;
  }

  /** Remembers (or replaces) the device token of `serverUrl`. */
  async remember(serverUrl: string, token: string): Promise<void> {
    await this.storage.set('devices', JSON.stringify({ ...(await this.all()), [serverUrl]: token }));
  }

  private async all(): Promise<Record<string, unknown>> {
    try {
      const parsed: unknown = JSON.parse((await this.storage.get('devices')) ?? '{}');
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
}
