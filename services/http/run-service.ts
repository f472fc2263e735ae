import type { Express } from 'express';
import type { Kysely } from 'kysely';
import { createDatabase } from '../../infra/db/connection.js';
import type { Database } from '../../infra/db/database.js';
import { configureProcessLogger } from '../../infra/observability/logger.js';
import { loadConfigOrExit, type Config, type ServiceSecretVariable } from '../../shared/config.js';
import { closeOnSignal, listen } from './serve.js';

export interface ServiceProcess {
  /** As the log and the refusals name it: "letter service". */
  readonly name: string;
  readonly port: (config: Config) => number;
  /** The variable holding the secret its callers present; the service does not start without it. */
  readonly secretVariable: ServiceSecretVariable;
  readonly app: (db: Kysely<Database>, secret: string) => Express;
}

/**
 * The main of one service process: its configuration (DATABASE_URL and its secret required), its
 * database, its app on its port on SERVICE_BIND_HOST (loopback unless set), and a clean stop on
 * SIGINT/SIGTERM. Its lines are JSON (infra/observability/logger.ts); the "listening on" line
 * tells the dev stack the service is up.
 */
export async function runService({ name, port, secretVariable, app }: ServiceProcess): Promise<void> {
  const config = loadConfigOrExit();
  const log = configureProcessLogger(name);
  if (!config.DATABASE_URL) {
    log.fatal(`DATABASE_URL is required for the ${name}`);
    process.exit(2);
  }
  const secret = config[secretVariable];
  if (!secret) {
    // Never open: the routes hand out tenants' names and addresses and post letters.
    log.fatal(`${secretVariable} is required: the ${name} answers only callers presenting it (openssl rand -hex 32 makes one)`);
    process.exit(2);
  }
  const db = createDatabase(config.DATABASE_URL);
  const server = await listen(app(db, secret), port(config), config.SERVICE_BIND_HOST);
  log.info({ metrics: `${server.url}/metrics` }, `${name} listening on ${server.url}`);
  closeOnSignal(async () => {
    await server.close();
    await db.destroy();
  });
}
