import { describeStoreContract } from '../contract/index.js';
import { openSqliteStore } from './index.js';

describeStoreContract('SQLite', () => openSqliteStore(':memory:'));
