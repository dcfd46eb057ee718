import { describe, expect, it } from 'vitest';
import { isCi, missingRequirement, skipWhenMissing } from './requirements.js';

const missing = () => {
  throw new Error('redis-server was not found: install it with `apt-get install redis-server`.');
};

describe('missingRequirement', () => {
  it("is the finder's message when the program is missing outside CI", () => {
    expect(missingRequirement(missing, {})).toBe('redis-server was not found: install it with `apt-get install redis-server`.');
    expect(missingRequirement(missing, { CI: 'false' })).toMatch(/^redis-server was not found/);
  });

  it('is undefined under CI, so the suites run and fail with that message', () => {
    expect(missingRequirement(missing, { CI: 'true' })).toBeUndefined();
    expect(missingRequirement(missing, { CI: '1' })).toBeUndefined();
  });

  it('is undefined when the program is found', () => {
    expect(missingRequirement(() => '/usr/bin/redis-server', {})).toBeUndefined();
  });

  it('reads CI as CI tools set it', () => {
    expect([isCi({}), isCi({ CI: '' }), isCi({ CI: '0' }), isCi({ CI: 'false' }), isCi({ CI: 'true' })]).toEqual([false, false, false, false, true]);
  });
});

describe('skipWhenMissing', () => {
  it('skips the suite and notes why, or changes nothing', () => {
    expect(skipWhenMissing('no redis')).toEqual({ skip: true, meta: { missingRequirement: 'no redis' } });
    expect(skipWhenMissing(undefined)).toEqual({});
  });
});
