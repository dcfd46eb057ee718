import { describe, expect, it } from 'vitest';
import { inviteFromLocation } from './App.js';

describe('invite links', () => {
  it('reads the code from /invite/CODE and ?invite=CODE, and ignores anything else', () => {
    expect(inviteFromLocation({ pathname: '/invite/hTKzmak', search: '' })).toBe('hTKzmak');
    expect(inviteFromLocation({ pathname: '/', search: '?invite=abc123' })).toBe('abc123');
    expect(inviteFromLocation({ pathname: '/', search: '?invite=<script>' })).toBeNull();
    expect(inviteFromLocation({ pathname: '/', search: '' })).toBeNull();
  });
});

describe('invite links in the page address', () => {
  it('refuses codes the server would never issue', () => {
    expect(inviteFromLocation({ pathname: '/invite/-abc', search: '' })).toBeNull();
    expect(inviteFromLocation({ pathname: '/invite/ab_c', search: '' })).toBeNull();
    expect(inviteFromLocation({ pathname: '/', search: `?invite=${'a'.repeat(40)}` })).toBeNull();
  });
});
