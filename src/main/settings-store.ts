/**
 * The desktop app's remembered data, in `settings.json` under Electron's userData directory: what
 * the client core stores through its {@link KeyValueStorage} (server URL, cached user, status,
 * client settings) and what only the shell needs (window placement). The session token is not
 * in this file: it goes to the {@link TokenStore} (`safeStorage`).
 */
import { z } from 'zod';
import type { KeyValueStorage, StorageKey } from '../client/storage.js';
import { readJsonFile, writeJsonFile } from './json-file.js';
import type { TokenStore } from './token-store.js';
import type { WindowBounds } from './window.js';

const windowBoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean(),
});

const fileSchema = z.object({
  /** Values the client core stored, by key (never `token`). */
  client: z.record(z.string(), z.string()).catch({}),
  window: windowBoundsSchema.nullable().catch(null),
});
type SettingsFileData = z.output<typeof fileSchema>;

const EMPTY: SettingsFileData = { client: {}, window: null };

export interface SettingsLog {
  warn(message: string): void;
}

/** `settings.json`: read once, written atomically on every change. */
export class SettingsStore {
  private data: SettingsFileData;

  constructor(
    private readonly file: string,
    private readonly log: SettingsLog,
  ) {
    const raw = readJsonFile(file, () => log.warn('settings.json was unreadable; it was set aside and defaults are used'));
    const parsed = fileSchema.safeParse(raw ?? EMPTY);
    this.data = parsed.success ? parsed.data : EMPTY;
  }

  /** The saved window placement, if any. */
  get windowBounds(): WindowBounds | null {
    return this.data.window;
  }

  set windowBounds(bounds: WindowBounds) {
    const parsed = windowBoundsSchema.safeParse(bounds);
    if (!parsed.success) return;
    this.data = { ...this.data, window: parsed.data };
    this.save();
  }

  /** The client core's storage: the token through `tokens`, everything else in this file. */
  clientStorage(tokens: TokenStore): KeyValueStorage {
    return {
      get: async (key: StorageKey) => (key === 'token' ? tokens.load() : (this.data.client[key] ?? null)),
      set: async (key: StorageKey, value: string) => {
        if (key === 'token') tokens.save(value);
        else this.update({ ...this.data.client, [key]: value });
      },
      delete: async (key: StorageKey) => {
        if (key === 'token') tokens.clear();
        else {
          const { [key]: _removed, ...rest } = this.data.client;
          this.update(rest);
        }
      },
    };
  }

  private update(client: Record<string, string>): void {
    this.data = { ...this.data, client };
    this.save();
  }

  private save(): void {
    try {
      writeJsonFile(this.file, this.data);
    } catch (error) {
      // A full disk must not take the app down; the values stay in memory for this run.
      this.log.warn(`settings could not be saved: ${(error as Error).message}`);
    }
  }
}
