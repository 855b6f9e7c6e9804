// Starts the whole sandbox in-process on a port (0 = any free one), as `npm start` would without credentials:
// for the browser test, the screenshot, and anyone embedding the demo.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { composeApp, type ComposedApp } from '../compose.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { prepareSandbox, type PreparedSandbox } from './prepare.js';

export interface SandboxServerOptions {
  port?: number;
  /** Holds textback.sqlite, sandbox.key and sandbox-state.json. */
  dataDir: string;
  clockStartAt?: number;
  /** See SandboxOptions.twilioCallbackTimer. */
  twilioCallbackTimer?: boolean;
  logger?: Logger;
  logLevel?: Config['logLevel'];
}

export interface SandboxServer {
  url: string;
  app: ComposedApp;
  sandbox: PreparedSandbox;
  close(): Promise<void>;
}

export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  // Bound first, so the sandbox knows its own address without racing for a port.
  const server = createServer({ keepAliveTimeout: 65_000 });
  const port = await listen(server, options.port ?? 0);
  let sandbox: PreparedSandbox | undefined;
  let app: ComposedApp | undefined;
  const stop = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    await app?.stop();
    await sandbox?.stop();
  };
  try {
    const config = loadConfig({
      NODE_ENV: 'development', PORT: String(port), DATABASE_PATH: join(options.dataDir, 'textback.sqlite'),
      LOG_LEVEL: options.logLevel ?? 'silent',
    });
    const logger = options.logger ?? createLogger({ level: config.logLevel });
    sandbox = await prepareSandbox(config, logger, { clockStartAt: options.clockStartAt, twilioCallbackTimer: options.twilioCallbackTimer });
    app = composeApp(sandbox.composeOptions);
    server.on('request', app.handler);
    app.start();
    await sandbox.composeOptions.onListening?.(app);
    return { url: `http://127.0.0.1:${port}`, app, sandbox, close: stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
