import { describe, expect, it } from 'vitest';
import { findDeepLink, parseDeepLink } from './deep-link.js';

describe('parseDeepLink', () => {
  it('parses an invite link', () => {
    expect(parseDeepLink('hearth://invite/aB3dE9x')).toEqual({ kind: 'invite', code: 'aB3dE9x' });
  });

  it('accepts a trailing slash, an upper-case scheme and host, and vanity codes with dashes', () => {
    expect(parseDeepLink('hearth://invite/abc123/')).toEqual({ kind: 'invite', code: 'abc123' });
    expect(parseDeepLink('HEARTH://INVITE/abc123')).toEqual({ kind: 'invite', code: 'abc123' });
    expect(parseDeepLink('hearth://invite/my-gaming-club')).toEqual({ kind: 'invite', code: 'my-gaming-club' });
  });

  it.each([
    ['empty', ''],
    ['not a URL', 'invite/abc'],
    ['another scheme', 'https://invite/abc'],
    ['an unknown action', 'hearth://settings/abc'],
    ['no code', 'hearth://invite/'],
    ['no code without slash', 'hearth://invite'],
    ['two segments', 'hearth://invite/abc/def'],
    ['a code with punctuation', 'hearth://invite/ab_c'],
    ['a code starting with a dash', 'hearth://invite/-abc'],
    ['a code longer than 32 characters', `hearth://invite/${'a'.repeat(33)}`],
    ['a query string', 'hearth://invite/abc?next=x'],
    ['a fragment', 'hearth://invite/abc#x'],
  ])('rejects a malformed link: %s', (_name, link) => {
    expect(parseDeepLink(link)).toBeNull();
  });

  it.each([
    ['javascript URL', 'javascript:alert(1)'],
    ['path traversal', 'hearth://invite/../../etc/passwd'],
    ['encoded traversal', 'hearth://invite/%2e%2e%2fsecret'],
    ['encoded slash', 'hearth://invite/abc%2Fdef'],
    ['script in the code', 'hearth://invite/<script>alert(1)</script>'],
    ['credentials', 'hearth://user:pass@invite/abc'],
    ['a port', 'hearth://invite:8080/abc'],
    ['a lookalike host', 'hearth://invite.evil.example/abc'],
    ['a newline', 'hearth://invite/abc\nhearth://invite/def'],
    ['a NUL byte', 'hearth://invite/abc\u0000'],
    ['a huge link', `hearth://invite/${'a'.repeat(10_000)}`],
    ['a non-string', { toString: (): string => 'hearth://invite/abc' }],
  ])('rejects a hostile link: %s', (_name, link) => {
    expect(parseDeepLink(link)).toBeNull();
  });
});

describe('findDeepLink', () => {
  it('finds the link among the arguments of a second launch', () => {
    const argv = ['/opt/Hearth/hearth', '--no-sandbox', '--', 'hearth://invite/xyz789'];
    expect(findDeepLink(argv)).toEqual({ kind: 'invite', code: 'xyz789' });
  });

  it('skips malformed links and returns null when none is valid', () => {
    expect(findDeepLink(['hearth', 'hearth://invite/../x', 'hearth://invite/ok1'])).toEqual({ kind: 'invite', code: 'ok1' });
    expect(findDeepLink(['hearth', '--flag', 'hearth://nope'])).toBeNull();
  });
});
