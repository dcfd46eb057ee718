/**
 * The main process log: structured lines (pino) in `main.log` under Electron's logs directory,
 * and on stdout in development. Tokens, passwords and authorization headers are redacted
 * wherever they appear, and modules only ever log outcomes, never credentials.
 */
import path from 'node:path';
import { pino, type Logger } from 'pino';

export type MainLogger = Logger;

const REDACTED_PATHS = ['token', 'password', 'authorization', '*.token', '*.password', '*.authorization', 'headers.authorization'];

/** A logger writing to `<logsDir>/main.log` (and stdout when `echo`). */
export function createMainLogger(logsDir: string, echo: boolean): MainLogger {
  const file = pino.destination({ dest: path.join(logsDir, 'main.log'), mkdir: true, sync: false });
  const streams: pino.StreamEntry[] = [{ stream: file }];
  if (echo) streams.push({ stream: process.stdout });
  return pino(
    { level: 'info', base: { service: 'hearth-desktop' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    pino.multistream(streams),
  );
}

/** The `(message, error?)` shape the shell's modules log through, on top of pino. */
export function logAdapter(logger: MainLogger) {
  return {
    info: (message: string) => logger.info(message),
    warn: (message: string, detail?: unknown) =>
      detail instanceof Error ? logger.warn({ err: detail }, message) : logger.warn(detail && typeof detail === 'object' ? detail : {}, message),
    error: (message: string, error: unknown) => logger.error({ err: error }, message),
  };
}
