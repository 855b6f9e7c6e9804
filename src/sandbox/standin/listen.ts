// Serves a stand-in handler on its own node:http server bound to 127.0.0.1 (port 0 picks a free port).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListeningStandIn } from './types.js';

export function listenOnLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  releaseHangs: () => void,
  port = 0,
): Promise<ListeningStandIn> {
  const server = createServer(handle);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const { port: boundPort } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${boundPort}`,
        close: () => new Promise<void>((done, fail) => {
          releaseHangs();
          server.close((error) => (error ? fail(error) : done()));
          // Keep-alive and hanging sockets would otherwise hold close() open.
          server.closeAllConnections();
        }),
      });
    });
  });
}
