import { describe, expect, it } from 'vitest';
import { serverUrlFromArgs } from './launch-args.js';

describe('serverUrlFromArgs', () => {
  it('reads the server npm start passes', () => {
    expect(serverUrlFromArgs(['/usr/bin/electron', '/repo', '--server-url=http://127.0.0.1:8080'])).toBe('http://127.0.0.1:8080');
    expect(serverUrlFromArgs(['electron', '--server-url=https://chat.example.org/node/1'])).toBe('https://chat.example.org/node/1');
  });

  it('ignores a missing, empty or non-http value', () => {
    expect(serverUrlFromArgs(['electron', '/repo'])).toBeNull();
    expect(serverUrlFromArgs(['electron', '--server-url='])).toBeNull();
    expect(serverUrlFromArgs(['electron', '--server-url=file:///etc/passwd'])).toBeNull();
    expect(serverUrlFromArgs(['electron', '--server-url=not a url'])).toBeNull();
  });
});
