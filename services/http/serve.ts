import type { Express } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { log } from '../../infra/observability/logger.js';

export interface ListeningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts an express app on a port (0 = any free one) and resolves once it listens. */
export function listen(app: Express, port: number, host = '127.0.0.1'): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    // Express 5 calls back with the error too (a port in use): refused here, not read as an address.
    const server: Server = app.listen(port, host, (error?: Error) => {
      if (error) return reject(error);
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.on('error', reject);
  });
}

/** Closes on SIGINT/SIGTERM so the supervisor's Ctrl-C stops the process cleanly. */
export function closeOnSignal(close: () => Promise<void>): void {
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      close().then(
        () => process.exit(0),
        (error) => {
          log().error({ err: error }, 'stopping failed');
          process.exit(1);
        },
      );
    });
  }
}
