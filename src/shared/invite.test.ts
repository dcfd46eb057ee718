import { describe, expect, it } from 'vitest';
import { desktopInviteLink, isInviteCode, parseInviteLink } from './invite.js';

describe('isInviteCode', () => {
  it('accepts random and vanity codes, and nothing else', () => {
    for (const good of ['hTKzmak', 'aB3dE9x1', 'my-gaming-club', 'ab']) expect(isInviteCode(good)).toBe(true);
    for (const bad of ['', 'a', '-abc', 'abc-', 'ab_c', 'has space', '<script>', 'x'.repeat(33), 42, null]) expect(isInviteCode(bad)).toBe(false);
  });
});

describe('parseInviteLink', () => {
  it('reads a bare code and hearth://invite/CODE as invites on the current server', () => {
    expect(parseInviteLink('aBc123')).toEqual({ code: 'aBc123', server: null });
    expect(parseInviteLink(' aBc123 ')).toEqual({ code: 'aBc123', server: null });
    expect(parseInviteLink('hearth://invite/aBc123')).toEqual({ code: 'aBc123', server: null });
  });

  it('reads the server an invite page names, with its scheme, port and path', () => {
    expect(parseInviteLink('https://chat.example.org/invite/aBc123/')).toEqual({ code: 'aBc123', server: 'https://chat.example.org' });
    expect(parseInviteLink('http://127.0.0.1:8080/invite/aBc123')).toEqual({ code: 'aBc123', server: 'http://127.0.0.1:8080' });
    expect(parseInviteLink('https://Example.org/hearth/invite/aBc123')).toEqual({ code: 'aBc123', server: 'https://example.org/hearth' });
  });

  it('reads hearth://invite/host/CODE as an invite on that https server', () => {
    expect(parseInviteLink('hearth://invite/chat.example.org/aBc123')).toEqual({ code: 'aBc123', server: 'https://chat.example.org' });
    expect(parseInviteLink('hearth://invite/10.0.0.5:8443/hearth/aBc123')).toEqual({ code: 'aBc123', server: 'https://10.0.0.5:8443/hearth' });
  });

  it.each([
    '', 'a', 'has space', '../../etc', 'https://x/invite/<script>', 'x'.repeat(65), 'ftp://x.org/invite/abc',
    'https://user:pw@x.org/invite/abc', 'https://x.org/invite/abc?x=1', 'https://x.org/a/../invite/abc', 'https://x.org/%2e/invite/abc',
    'hearth://invite/x.org/../abc', 'hearth://invite/x_y.org/abc', 'hearth://invite/x.org:port/abc', 'javascript:alert(1)//invite/abc',
  ])('refuses %j', (bad) => {
    expect(parseInviteLink(bad)).toBeNull();
  });
});

describe('desktopInviteLink', () => {
  it('names an https server in the hearth:// link, and refuses http servers and bad codes', () => {
    expect(desktopInviteLink('https://chat.example.org', 'aBc123')).toBe('hearth://invite/chat.example.org/aBc123');
    expect(desktopInviteLink('https://example.org:8443/hearth', 'aBc123')).toBe('hearth://invite/example.org:8443/hearth/aBc123');
    expect(desktopInviteLink('http://127.0.0.1:8080', 'aBc123')).toBeNull();
    expect(desktopInviteLink('https://chat.example.org', '<x>')).toBeNull();
  });

  it('round-trips through parseInviteLink', () => {
    const link = desktopInviteLink('https://example.org:8443/hearth', 'aBc123');
    expect(parseInviteLink(link)).toEqual({ code: 'aBc123', server: 'https://example.org:8443/hearth' });
  });
});
