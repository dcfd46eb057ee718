/**
 * Structured logs with pino. Tokens, passwords and authorization headers never reach a log line.
 */
import { pino, type Logger } from 'pino';

/** Paths pino replaces with "[redacted]" wherever they occur in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  'password',
  'new_password',
  'device_token',
  'req.headers["x-hearth-device"]',
  '*.token',
  '*.device_token',
  '*.password',
  '*.new_password',
  'd.token',
  '*.d.token',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'hearth' } }, destination);
}

export type { Logger };
