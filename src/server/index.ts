#!/usr/bin/env node
/**
 * `hearth-server`: reads flags and environment, builds the server, listens, and shuts down
 * gracefully on SIGINT/SIGTERM.
 */
import { buildServer } from './app.js';
import { ConfigError, helpText, loadConfig } from './config.js';
import { WorkerIdTakenError } from './scale/node-lease.js';
import { RedisUnavailableError } from './scale/redis.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`hearth-server: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (config === 'help') {
    process.stdout.write(helpText());
    return;
  }
  let server;
  try {
    server = await buildServer(config);
  } catch (error) {
    // Problems an operator fixes in the configuration or environment: a message, not a stack trace.
    if (error instanceof WorkerIdTakenError || error instanceof RedisUnavailableError) {
      process.stderr.write(`hearth-server: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      const why = code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'needs privileges this user lacks' : 'is not an address of this machine';
      process.stderr.write(`hearth-server: cannot listen on ${config.host}:${config.port}: it ${why}. Choose another with --host/--port (HEARTH_HOST/HEARTH_PORT).\n`);
      await server.close();
      process.exit(2);
    }
    throw error;
  }
  process.stdout.write(`Hearth is running at ${url}\n`);
  const shutdown = (signal: string) => {
    server.context.logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.context.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`hearth-server: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
