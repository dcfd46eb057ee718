/**
 * The Store contract suite: every implementation runs these same tests against a fresh store.
 * Each area's cases live beside this file; an implementation's test file calls
 * `describeStoreContract('SQLite', () => openSqliteStore(':memory:'))`.
 */
import { describe, type SuiteOptions } from 'vitest';
import type { Store } from '../store.js';
import { accountContract } from './accounts.js';
import { guildContract } from './guilds.js';
import { messageContract } from './messages.js';

/** Opens a fresh, empty store for one test. */
export type OpenStore = () => Store | Promise<Store>;

/** Declares the contract suite for one implementation; `options` as for `describe` (e.g. to skip it). */
export function describeStoreContract(name: string, open: OpenStore, options: SuiteOptions = {}): void {
  describe(`Store contract: ${name}`, options, () => {
    accountContract(open);
    guildContract(open);
    messageContract(open);
  });
}
