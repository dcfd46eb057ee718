/**
 * Where the client core remembers things between runs (server URL, token, cached user, status,
 * settings): localStorage in the web client, a JSON file (token through `safeStorage`) in the
 * desktop app. Async so a file or an encrypted store fits.
 */
export interface KeyValueStorage {
  get(key: StorageKey): Promise<string | null>;
  set(key: StorageKey, value: string): Promise<void>;
  delete(key: StorageKey): Promise<void>;
}

/**
 * Every key the client core uses (main may treat `token` specially, e.g. encrypt it). `devices`
 * holds the device token of each server (`known-devices.ts`); it stays after sign-out.
 */
export type StorageKey = 'serverUrl' | 'token' | 'user' | 'status' | 'settings' | 'devices';

/** Storage over a Web Storage object (`window.localStorage`), with a key prefix. */
export function webStorage(storage: Storage, prefix = 'hearth.'): KeyValueStorage {
  return {
    get: (key) => Promise.resolve(storage.getItem(prefix + key)),
    set: (key, value) => Promise.resolve(storage.setItem(prefix + key, value)),
    delete: (key) => Promise.resolve(storage.removeItem(prefix + key)),
  };
}

/** Storage that forgets everything when the process ends (tests, private windows). */
export function memoryStorage(initial: Partial<Record<StorageKey, string>> = {}): KeyValueStorage {
  const values = new Map<StorageKey, string>(Object.entries(initial) as [StorageKey, string][]);
  return {
    get: (key) => Promise.resolve(values.get(key) ?? null),
    set: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      values.delete(key);
      return Promise.resolve();
    },
  };
}
