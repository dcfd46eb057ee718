import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, OPTIONS, helpText, loadConfig, publicBaseUrl, resolveConfig } from './config.js';

describe('server configuration', () => {
  it('runs with no options at all', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, logLevel: 'info', dataDir: path.resolve('./data') });
  });

  it('reads flags and environment variables, flags winning', () => {
    const config = loadConfig(['--port', '9000', '--log-level', 'debug'], { HEARTH_PORT: '7000', HEARTH_HOST: '0.0.0.0', HEARTH_DATA_DIR: '/tmp/h' });
    expect(config).toMatchObject({ port: 9000, host: '0.0.0.0', logLevel: 'debug', dataDir: '/tmp/h' });
  });

  it('parses JSON options such as ICE servers', () => {
    const config = loadConfig(['--ice-servers', '[{"urls":"turn:turn.example.org:3478","username":"u","credential":"p"}]'], {});
    expect(config !== 'help' && config.iceServers).toEqual([{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'p' }]);
  });

  it.each([
    [['--port', 'eighty'], /--port \(HEARTH_PORT\)/],
    [['--port', '70000'], /--port \(HEARTH_PORT\)/],
    [['--log-level', 'loud'], /--log-level \(HEARTH_LOG_LEVEL\)/],
    [['--public-url', 'ftp://x'], /--public-url \(HEARTH_PUBLIC_URL\)/],
    [['--ice-servers', '{not json'], /--ice-servers \(HEARTH_ICE_SERVERS\): not valid JSON/],
    [['--bogus', '1'], /Unknown option '--bogus'/],
  ])('refuses %j with a message naming the option', (argv, message) => {
    expect(() => loadConfig(argv, {})).toThrow(ConfigError);
    expect(() => loadConfig(argv, {})).toThrow(message);
  });

  it('refuses a bad environment variable by name too', () => {
    expect(() => loadConfig([], { HEARTH_PORT: '-1' })).toThrow(/HEARTH_PORT/);
  });

  it('lists every option, flag and environment variable in --help', () => {
    expect(loadConfig(['--help'], {})).toBe('help');
    const text = helpText();
    for (const option of OPTIONS) {
      expect(text).toContain(`--${option.flag}`);
      expect(text).toContain(option.env);
    }
    for (const flag of ['--host', '--port', '--data-dir', '--public-url', '--log-level']) expect(text).toContain(flag);
  });

  it('derives the public base URL from the listening address unless configured', () => {
    expect(publicBaseUrl(resolveConfig({ host: '0.0.0.0' }), 4321)).toBe('http://127.0.0.1:4321');
    expect(publicBaseUrl(resolveConfig({ publicUrl: 'https://chat.example.org/' }), 4321)).toBe('https://chat.example.org');
  });
});
