import { describe, expect, it } from 'vitest';
import { normalizeServerUrl, toBridgeError } from './session.js';
import { HearthError, invalidFormBody } from '../shared/errors.js';
import { RestError } from './rest-client.js';

describe('normalizeServerUrl', () => {
  it('adds https, drops trailing slashes and an /api suffix, keeps a path prefix', () => {
    expect(normalizeServerUrl('chat.example.org')).toBe('https://chat.example.org');
    expect(normalizeServerUrl(' http://127.0.0.1:8080/ ')).toBe('http://127.0.0.1:8080');
    expect(normalizeServerUrl('https://example.org/hearth/api/v10')).toBe('https://example.org/hearth');
  });

  it('refuses what is not an http(s) server address', () => {
    for (const bad of ['', '   ', 'javascript:alert(1)', 'ftp://example.org', 'file:///etc/passwd', 'https://user:pw@example.org', 'http://']) {
      expect(normalizeServerUrl(bad)).toBeUndefined();
    }
  });
});

describe('toBridgeError', () => {
  it('keeps code, status and field errors of server and catalogue errors', () => {
    expect(toBridgeError(new RestError(403, 50013, 'Missing Permissions'))).toEqual({ code: 50013, message: 'Missing Permissions', status: 403 });
    const field = toBridgeError(invalidFormBody({ content: { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' } }));
    expect(field).toMatchObject({ code: 50035, status: 400, errors: { content: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } } });
    expect(toBridgeError(new HearthError('CLIENT_UNSUPPORTED'))).toMatchObject({ status: 0, message: expect.stringContaining('desktop app') });
    expect(toBridgeError(new Error('boom'))).toEqual({ code: 0, message: 'boom', status: 0 });
  });
});
