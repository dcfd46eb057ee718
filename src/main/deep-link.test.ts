import { describe, expect, it } from 'vitest';
import { findDeepLink, parseDeepLink } from './deep-link.js';

describe('parseDeepLink', () => {
  it('parses an invite on the current server', () => {
    expect(parseDeepLink('hearth://invite/aB3dE9x')).toEqual({ kind: 'invite', code: 'aB3dE9x', server: null });
  });

  it('parses an invite that names its server (https), with a port or a path', () => {
    expect(parseDeepLink('hearth://invite/chat.example.org/aB3dE9x')).toEqual({ kind: 'invite', code: 'aB3dE9x', server: 'https://chat.example.org' });
    expect(parseDeepLink('hearth://invite/chat.example.org:8443/abc123/')).toEqual({ kind: 'invite', code: 'abc123', server: 'https://chat.example.org:8443' });
    expect(parseDeepLink('hearth://invite/example.org/hearth/abc123')).toEqual({ kind: 'invite', code: 'abc123', server: 'https://example.org/hearth' });
  });

  it('accepts a trailing slash, an upper-case scheme and host, and vanity codes with dashes', () => {
    expect(parseDeepLink('hearth://invite/abc123/')).toEqual({ kind: 'invite', code: 'abc123', server: null });
    expect(parseDeepLink('HEARTH://INVITE/abc123')).toEqual({ kind: 'invite', code: 'abc123', server: null });
    expect(parseDeepLink('hearth://invite/my-gaming-club')).toEqual({ kind: 'invite', code: 'my-gaming-club', server: null });
  });

  it.each([
    ['empty', ''],
    ['not a URL', 'invite/abc'],
    ['another scheme', 'https://invite/abc'],
    ['an https invite page (the OS never hands those to the app)', 'https://chat.example.org/invite/abc'],
    ['an unknown action', 'hearth://settings/abc'],
    ['no code', 'hearth://invite/'],
    ['no code without slash', 'hearth://invite'],
    ['a server without a code', 'hearth://invite/chat.example.org/'],
    ['a code with punctuation', 'hearth://invite/ab_c'],
    ['a code starting with a dash', 'hearth://invite/-abc'],
    ['a code longer than 32 characters', `hearth://invite/${'a'.repeat(33)}`],
    ['a query string', 'hearth://invite/abc?next=x'],
    ['a fragment', 'hearth://invite/abc#x'],
    ['surrounding spaces', ' hearth://invite/abc'],
  ])('rejects a malformed link: %s', (_name, link) => {
    expect(parseDeepLink(link)).toBeNull();
  });

  it.each([
    ['javascript URL', 'javascript:alert(1)'],
    ['path traversal', 'hearth://invite/../../etc/passwd'],
    ['traversal inside a server path', 'hearth://invite/example.org/a/../b/abc'],
    ['encoded traversal', 'hearth://invite/%2e%2e%2fsecret'],
    ['encoded slash', 'hearth://invite/abc%2Fdef'],
    ['an encoded server', 'hearth://invite/evil%2eexample/abc'],
    ['script in the code', 'hearth://invite/<script>alert(1)</script>'],
    ['credentials', 'hearth://user:pass@invite/abc'],
    ['credentials in the named server', 'hearth://invite/user:pass@chat.example.org/abc'],
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
    expect(findDeepLink(argv)).toEqual({ kind: 'invite', code: 'xyz789', server: null });
  });

  it('skips malformed links and returns null when none is valid', () => {
    expect(findDeepLink(['hearth', 'hearth://invite/../x', 'hearth://invite/other.example/ok1'])).toEqual({ kind: 'invite', code: 'ok1', server: 'https://other.example' });
    expect(findDeepLink(['hearth', '--flag', 'hearth://nope'])).toBeNull();
  });
});
