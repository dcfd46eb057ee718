import { describe, expect, it } from 'vitest';
import { findRedisServer } from './redis.js';

describe('findRedisServer', () => {
  it('fails with the install command when the binary is missing', () => {
    expect(() => findRedisServer('/nonexistent', [])).toThrow(/install it \(Debian\/Ubuntu: `sudo apt-get install redis-server`\)/);
  });
});
