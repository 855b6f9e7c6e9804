// Process entry point: configuration, the composed app, the HTTP server, and a graceful shutdown.
import { createServer } from 'node:http';
import { ConfigError, loadConfigFromProcess, type Config } from './config.js';
import { composeApp, type ComposeOptions } from './compose.js';
import { createLogger } from './lib/logger.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfigFromProcess();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`config error: ${problem}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  let options: ComposeOptions = { config, logger };
  let stopSandbox: (() => Promise<void>) | undefined;
  if (config.mode === 'sandbox') {
    const { prepareSandbox } = await import('./sandbox/prepare.js');
    const sandbox = await prepareSandbox(config, logger);
    options = sandbox.composeOptions;
    stopSandbox = sandbox.stop;
  }

  const app = composeApp(options);
  const server = createServer({ keepAliveTimeout: 65_000 }, app.handler);
  await new Promise<void>((resolve) => server.listen(options.config.port, resolve));
  app.start();
  await options.onListening?.(app);
  logger.info({ port: options.config.port, mode: config.mode, publicUrl: options.config.publicUrl }, 'TextBack is serving');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing jobs in flight');
    const forced = setTimeout(() => { logger.error('shutdown took too long; exiting'); process.exit(1); }, 25_000);
    forced.unref();
    server.close();
    server.closeIdleConnections();
    await app.stop();
    await stopSandbox?.();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error('fatal:', error instanceof Error ? error.message : error);
  process.exit(1);
});
