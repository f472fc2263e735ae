import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfigOrExit } from '../shared/config.js';
import { createDatabase } from '../infra/db/connection.js';
import { migrateToLatest } from '../infra/db/migrate.js';
import { ensureDevCorporation, ensureDevKeys } from '../infra/dev-keys.js';
import { ensureDevPayloadKeys } from '../infra/dev-payload-keys.js';
import { pipeLines } from '../infra/child-output.js';
import { dataDir, projectRoot } from '../infra/paths.js';
import { startLocalCarriers, type LocalCarriers } from './local-carriers.js';
import { resolveDatabase, type RunningDatabase } from '../infra/postgres.js';
import { ensureTemporalBinary, temporalCli, temporalTestServer } from '../infra/temporal/binaries.js';
import { registerSearchAttributes, startDevServer, startTimeSkippingServer, type RunningTemporal } from '../infra/temporal/servers.js';

/**
 * `npm start`: the whole system on one machine, supervised. Postgres and Temporal are started
 * here unless DATABASE_URL / TEMPORAL_ADDRESS point elsewhere; then the worker, the API and the
 * letter, bank and municipality services run as child processes. If any of them dies, or on
 * Ctrl-C, everything is stopped in reverse order.
 */
const config = loadConfigOrExit();
const temporalIsExternal = Boolean(process.env.TEMPORAL_ADDRESS);
const log = (source: string) => (line: string) => console.log(`[${source}] ${line}`);
const started = Date.now();

const services = [
  { name: 'worker', entry: 'worker/main.ts' },
  { name: 'letters', entry: 'services/letters/main.ts' },
  { name: 'bank', entry: 'services/bank/main.ts' },
  // Imports the files the bank delivers into data/inbox/bank/<corporationId>/.
  { name: 'bank-inbox', entry: 'services/bank/inbox/main.ts' },
  // Opens the cases billing drops into data/inbox/billing/<corporationId>/ (JSON array or NDJSON).
  { name: 'billing-inbox', entry: 'services/billing-inbox/main.ts' },
  // The local payment provider: payment links' checkout pages and their webhook.
  { name: 'payment-provider', entry: 'services/payment-provider/main.ts' },
  { name: 'municipality', entry: 'services/municipality/main.ts' },
  { name: 'api', entry: 'services/api/main.ts' },
] as const;

let database: RunningDatabase | undefined;
let temporal: RunningTemporal | undefined;
let carriers: LocalCarriers | undefined;
const children = new Map<string, ChildProcess>();
let stopping = false;

async function shutdown(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('[stack] stopping…');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await carriers?.stop().catch((error) => console.error('[stack] local carriers stop failed', error));
    await temporal?.stop().catch((error) => console.error('[stack] temporal stop failed', error));
    await database?.stop().catch((error) => console.error('[stack] postgres stop failed', error));
    console.log('[stack] stopped');
  }
  process.exit(exitCode);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const readyLines = new Map<string, () => void>();

function startService(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  // Its own process group: Ctrl-C reaches the supervisor only, which stops the children in order.
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, entry)], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const write = (line: string) => {
    // A JSON line (the processes' logs) stays one JSON object per line, for jq; it names its process.
    if (line.startsWith('{')) console.log(line);
    else log(name)(line);
    if (/listening on|worker polling/.test(line)) readyLines.get(name)?.();
  };
  pipeLines(child, write);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[stack] ${name} exited (${signal ?? code}); stopping everything`);
    void shutdown(1);
  });
  return child;
}

function waitForReadyLine(name: string, timeoutMs = 180_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms`)), timeoutMs);
    readyLines.set(name, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

try {
  ensureTemporalBinary(config.SIMULATION ? temporalTestServer : temporalCli, log('setup'));

  // A simulation's Temporal state lives in memory, so its cases get a database of their own,
  // emptied at every start, next to (never inside) the tracks of the real dev server.
  database = await resolveDatabase(config.DATABASE_URL, {
    dataDir,
    port: Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329),
    database: config.SIMULATION ? 'huurincasso_simulation' : 'huurincasso',
    recreate: config.SIMULATION,
    log: () => {},
  });
  const db = createDatabase(database.url, { max: 2 });
  const applied = await migrateToLatest(db);
  if (applied.length > 0) console.log(`[stack] migrations applied: ${applied.join(', ')}`);
  const keys = await ensureDevKeys(db, join(dataDir, 'dev-api-keys.json'));
  await ensureDevCorporation(db);
  await db.destroy();

  const port = Number(config.TEMPORAL_ADDRESS.split(':').at(-1) ?? 7233);
  if (temporalIsExternal) {
    temporal = { address: config.TEMPORAL_ADDRESS, uiUrl: null, stop: async () => {} };
    await registerSearchAttributes(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE).catch((error) =>
      console.warn(`[stack] could not register search attributes on ${config.TEMPORAL_ADDRESS}: ${error}`),
    );
  } else if (config.SIMULATION) {
    temporal = await startTimeSkippingServer({ port, namespace: config.TEMPORAL_NAMESPACE, log: log('temporal') });
  } else {
    temporal = await startDevServer({
      port,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: join(dataDir, 'temporal.sqlite'),
      namespace: config.TEMPORAL_NAMESPACE,
      // The UI decodes payloads through the API (the remote codec protocol), for a signed-in key.
      codecEndpoint: `http://localhost:${config.PORT}/codec`,
      log: log('temporal'),
    });
  }

  carriers = await startLocalCarriers(dataDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...carriers.env,
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    HUURINCASSO_DATA_DIR: dataDir,
    // Kept in data/, unlike the service secrets: the dev server's histories outlive a restart.
    PAYLOAD_KEYS: process.env.PAYLOAD_KEYS || ensureDevPayloadKeys(join(dataDir, 'dev-payload-keys')),
    // Fresh for every start unless set, and never written down: only the children started here
    // know them, so the services answer the worker and no one else on the machine.
    LETTERS_SERVICE_SECRET: config.LETTERS_SERVICE_SECRET ?? randomBytes(32).toString('hex'),
    BANK_SERVICE_SECRET: config.BANK_SERVICE_SECRET ?? randomBytes(32).toString('hex'),
    MUNICIPALITY_SERVICE_SECRET: config.MUNICIPALITY_SERVICE_SECRET ?? randomBytes(32).toString('hex'),
    PAYMENT_PROVIDER_API_KEY: config.PAYMENT_PROVIDER_API_KEY ?? randomBytes(32).toString('hex'),
    PAYMENT_PROVIDER_WEBHOOK_SECRET: config.PAYMENT_PROVIDER_WEBHOOK_SECRET ?? randomBytes(32).toString('hex'),
  };
  const workerReady = waitForReadyLine('worker');
  for (const service of services) children.set(service.name, startService(service.name, service.entry, env));
  await Promise.all([
    workerReady,
    waitForHttp(`http://127.0.0.1:${config.LETTERS_PORT}/healthz`),
    waitForHttp(`http://127.0.0.1:${config.BANK_PORT}/healthz`),
    waitForHttp(`http://127.0.0.1:${config.MUNICIPALITY_PORT}/healthz`),
    waitForHttp(`http://127.0.0.1:${config.PAYMENT_PROVIDER_PORT}/healthz`),
    waitForHttp(`http://127.0.0.1:${config.PORT}/healthz`),
  ]);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    [
      '',
      `huurincasso is up in ${seconds} s${config.SIMULATION ? ' — SIMULATION: time moves only through POST /v1/simulation/advance' : ''}`,
      `  API            http://localhost:${config.PORT}   (OpenAPI: /v1/openapi.json, health: /healthz)`,
      `  operations     http://localhost:${config.PORT}/ops   (sign in with a key below; signed in, the Temporal UI decodes your corporations' tracks)`,
      temporal.uiUrl ? `  Temporal UI    ${temporal.uiUrl}   (payloads decrypted through http://localhost:${config.PORT}/codec: see the README)` : `  Temporal       ${temporal.address} (no Web UI ${config.SIMULATION ? 'on the time-skipping server' : 'started here'})`,
      `  Temporal gRPC  ${temporal.address}, namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE}`,
      // Under root the cluster may live outside data/ (where the postgres user can reach it): say where.
      `  Postgres       ${database.url.replace(/:[^:@/]+@/, ':***@')}${database.clusterDir ? `, cluster in ${database.clusterDir}` : ''}`,
      `  letters ${config.LETTERS_PORT}, bank ${config.BANK_PORT}, municipality ${config.MUNICIPALITY_PORT}`,
      `  metrics        http://localhost:${config.PORT}/metrics; services :${config.LETTERS_PORT}/metrics, :${config.BANK_PORT}/metrics, :${config.MUNICIPALITY_PORT}/metrics${config.WORKER_METRICS_PORT > 0 ? `; worker (Temporal SDK) http://127.0.0.1:${config.WORKER_METRICS_PORT}/metrics` : ''}${config.BANK_INBOX_METRICS_PORT > 0 ? `; bank inbox :${config.BANK_INBOX_METRICS_PORT}/metrics` : ''}`,
      `  logs           one JSON line per event below (LOG_LEVEL=${config.LOG_LEVEL}); a request's lines share its requestId`,
      `  payment links  ${config.paymentProviderPublicUrl}/checkout/<id> (local provider); bank files in: ${join(dataDir, 'inbox', 'bank')}/<corporationId>/, billing files in: ${join(dataDir, 'inbox', 'billing')}/<corporationId>/`,
      ...carriers.lines,
      '  API keys (also in data/dev-api-keys.json):',
      ...Object.entries(keys).map(([role, key]) => `    ${role.padEnd(14)} ${key}`),
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
} catch (error) {
  console.error('[stack] start failed:', error instanceof Error ? error.message : error);
  await shutdown(1);
}
