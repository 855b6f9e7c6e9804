// Process entry point: configuration, the composed app, the HTTP server, and a graceful shutdown.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfigFromProcess, type Config } from './config.js';
import { composeApp, openConfiguredStorage, type ComposeOptions } from './compose.js';
import { createLogger } from './lib/logger.js';

/** A shutdown taking longer than this exits anyway (a supervisor's SIGKILL usually follows 30 s after SIGTERM). */
const SHUTDOWN_LIMIT_MS = 25_000;
/** How long requests already in flight get to finish before their connections are cut. */
const HTTP_DRAIN_MS = 10_000;

/** Resolves when `work` does or after `ms`, whichever comes first. */
function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); timer.unref(); });
  return Promise.race([work.then(() => {}, () => {}), timeout]).finally(() => clearTimeout(timer));
}

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

  // DATABASE_URL: PostgreSQL, migrated before anything is served (several instances may start at once).
  options = { ...options, ...(await openConfiguredStorage(options.config, options)) };
  const app = composeApp(options);
  const server = createServer({ keepAliveTimeout: 65_000 }, app.handler);
  await new Promise<void>((resolve) => server.listen(options.config.port, resolve));
  await app.start();
  await options.onListening?.(app);
  // The port bound, not the one asked for: PORT=0 asks for any free port.
  const { port } = server.address() as AddressInfo;
  logger.info({ port, mode: config.mode, publicUrl: options.config.publicUrl }, 'TextBack is serving');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections or jobs, finishing what is in flight');
    const forced = setTimeout(() => { logger.error('shutdown took too long; exiting'); process.exit(1); }, SHUTDOWN_LIMIT_MS);
    forced.unref();
    // New connections are refused at once (a proxy sends them to another instance); requests in flight, webhooks
    // among them, finish and are answered. Meanwhile the worker stops claiming, gives back the jobs it claimed but
    // did not start (another instance takes them at once), and lets running jobs finish (bounded, see createWorker).
    const requestsDone = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.all([app.worker.stop(), within(requestsDone, HTTP_DRAIN_MS)]);
    server.closeAllConnections();
    // Only now is the database closed: nothing in flight still needs it.
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
