/**
 * The Store contract suite: every implementation runs these same tests against a fresh store.
 * Each area's cases live beside this file; an implementation's test file calls
 * `describeStoreContract('SQLite', () => openSqliteStore(':memory:'))`.
 */
import { describe } from 'vitest';
import type { Store } from '../store.js';
import { accountContract } from './accounts.js';
import { guildContract } from './guilds.js';
import { messageContract } from './messages.js';

/** Opens a fresh, empty store for one test. */
export type OpenStore = () => Store | Promise<Store>;

export function describeStoreContract(name: string, open: OpenStore): void {
  describe(`Store contract: ${name}`, () => {
    accountContract(open);
    guildContract(open);
    messageContract(open);
  });
}
