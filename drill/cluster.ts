import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createDatabase } from '../infra/db/connection.js';
import type { Database } from '../infra/db/database.js';
import { migrateToLatest } from '../infra/db/migrate.js';
import { ensureDevKeys, type DevApiKeys } from '../infra/dev-keys.js';
import { pipeLines } from '../infra/child-output.js';
import { freePort } from '../infra/free-port.js';
import { dataDir, projectRoot } from '../infra/paths.js';
import { createDatabaseIfMissing, dropDatabase, startEmbeddedPostgres, type RunningDatabase } from '../infra/postgres.js';
import { startDevServer, type RunningTemporal } from '../infra/temporal/servers.js';
import { newPayloadKeyEntry } from '../shared/codec/payload-keys.js';
import { writeWorkflowBundleFile } from '../worker/workflow-bundle-file.js';

/** The processes of a real deployment, each on its own, as the README's "real cluster" runs them. */
export const processNames = ['letters', 'bank', 'municipality', 'worker', 'api'] as const;
export type ProcessName = (typeof processNames)[number];

const entries: Record<ProcessName, string> = {
  letters: 'services/letters/main.ts',
  bank: 'services/bank/main.ts',
  municipality: 'services/municipality/main.ts',
  worker: 'worker/main.ts',
  api: 'services/api/main.ts',
};

export interface DrillCluster {
  readonly apiUrl: string;
  readonly keys: DevApiKeys;
  readonly db: Kysely<Database>;
  readonly dataDir: string;
  readonly taskQueue: string;
  readonly temporalAddress: string;
  /** The drill's own database; `/postgres` on the same server is where a drill acts as its administrator. */
  readonly databaseUrl: string;
  /** SIGKILL: the process gets no chance to finish anything, as when a machine dies. */
  kill(name: ProcessName): Promise<void>;
  start(name: ProcessName): Promise<void>;
  /** Whether the drill runs Postgres itself ({@link DrillClusterOptions.ownPostgres}) and may restart it. */
  readonly ownsPostgres: boolean;
  /**
   * Stops the drill's own Postgres (a fast shutdown: every session ended with 57P01, as a restart
   * or failover does), keeps it down `downMs`, and starts it again on the same port and data.
   */
  restartDatabase(downMs: number, onDown?: () => void): Promise<void>;
  /** Stops every process, the dev server and the drill's own Postgres. */
  stop(): Promise<void>;
  /** What each process wrote, for a drill's report when something went wrong. */
  readonly output: Map<ProcessName, string[]>;
  /** Processes that ended on their own (crashed), not killed or stopped by the drill, since the start. */
  unexpectedExits(): readonly string[];
  /** What a process logged of a 500 (the error handler's "unhandled error" with its stack), newest last: a drill's finding says why. */
  unhandledErrors(name: ProcessName): readonly string[];
}

export interface DrillClusterOptions {
  /** A Postgres server the drill may make its database on (default DATABASE_URL, else embedded). */
  readonly adminUrl?: string;
  /**
   * Run a Postgres of the drill's own (embedded, on a free port) whatever adminUrl says: a drill
   * that restarts the database must never restart a server others use.
   */
  readonly ownPostgres?: boolean;
  readonly log?: (line: string) => void;
  /** The product's workflows bundled already (the test run's, test/support/global-setup.ts): not bundled again. */
  readonly workflowBundleFile?: string;
}

/**
 * The workflow code bundled once per drill run and written to a file every worker process loads
 * (WORKFLOW_BUNDLE): a worker start then takes a second or two instead of bundling for ~7 s, which
 * a drill that kills the worker twenty times pays twenty times.
 */
let workflowBundleFile: Promise<string> | undefined;
function prebuiltWorkflowBundle(): Promise<string> {
  workflowBundleFile ??= (async () => {
    const file = await writeWorkflowBundleFile(join(dataDir, 'drill'));
    process.once('exit', () => rmSync(file, { force: true }));
    return file;
  })();
  return workflowBundleFile;
}

/**
 * A whole system for one drill (or for several short ones in turn, test/drill/): its own database
 * (emptied first), its own Temporal dev server and data folder, and the worker, API and services
 * as child processes a drill may kill and restart. Uses the server of `adminUrl` (default
 * DATABASE_URL) when set, a database of the drill's own on it, else (or with `ownPostgres`)
 * embedded Postgres.
 */
export async function startDrillCluster(name: string, options: DrillClusterOptions = {}): Promise<DrillCluster> {
  const log = options.log ?? (() => {});
  const adminUrl = options.ownPostgres ? undefined : (options.adminUrl ?? process.env.DATABASE_URL);
  const root = join(dataDir, 'drill', name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const bundle = options.workflowBundleFile ? Promise.resolve(options.workflowBundleFile) : prebuiltWorkflowBundle();
  bundle.catch(() => {}); // awaited below; a set-up step failing first must not leave it unhandled
  const databaseName = `huurincasso_drill_${name.replace(/[^a-z0-9]/g, '_')}`;
  let database: RunningDatabase;
  let restartDatabase: DrillCluster['restartDatabase'] = async () => {
    throw new Error(`drill cluster ${name} does not own its Postgres: start it with ownPostgres to restart the database`);
  };
  if (adminUrl) {
    const url = new URL(adminUrl);
    await dropDatabase(adminUrl, databaseName);
    await createDatabaseIfMissing(adminUrl, databaseName);
    url.pathname = `/${databaseName}`;
    database = { url: url.toString(), stop: async () => {} };
  } else {
    // Outside the drill's folder, which is emptied each run: initdb once, not per drill.
    const embedded = { dataDir: join(dataDir, 'drill-postgres', name), port: await freePort(), database: databaseName, log: () => {} };
    let server = await startEmbeddedPostgres({ ...embedded, recreate: true });
    database = { url: server.url, stop: () => server.stop() };
    restartDatabase = async (downMs, onDown) => {
      await server.stop();
      onDown?.();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await startEmbeddedPostgres(embedded);
    };
  }
  const db = createDatabase(database.url, { max: 4 });
  await migrateToLatest(db);
  const keys = await ensureDevKeys(db, join(root, 'keys.json'));

  const ports = { api: await freePort(), letters: await freePort(), bank: await freePort(), municipality: await freePort() };
  const temporal: RunningTemporal = await startDevServer({
    port: await freePort(),
    uiPort: await freePort(),
    dbFile: join(root, 'temporal.sqlite'),
    namespace: 'default',
    log: () => {},
  });
  const taskQueue = 'drill';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    HUURINCASSO_DATA_DIR: root,
    PAYLOAD_KEYS: newPayloadKeyEntry('drill'),
    PORT: String(ports.api),
    LETTERS_PORT: String(ports.letters),
    BANK_PORT: String(ports.bank),
    MUNICIPALITY_PORT: String(ports.municipality),
    // No metrics port: a worker restarted after SIGKILL, or a port another process took after
    // freePort chose it, would refuse to start over a figure no drill reads.
    WORKER_METRICS_PORT: '0',
    LETTERS_SERVICE_SECRET: randomBytes(32).toString('hex'),
    BANK_SERVICE_SECRET: randomBytes(32).toString('hex'),
    MUNICIPALITY_SERVICE_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    // While the worker is down a request waits this long before its 503: short, so clients repeat sooner.
    ENGINE_TIMEOUT_MS: '3000',
    // A drill sends thousands of requests with a handful of keys.
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    WORKFLOW_BUNDLE: await bundle,
  };
  const children = new Map<ProcessName, ChildProcess>();
  const endedByDrill = new WeakSet<ChildProcess>();
  const crashed: string[] = [];
  const output = new Map<ProcessName, string[]>(processNames.map((n) => [n, []]));
  const connection = await Connection.connect({ address: temporal.address });

  const healthUrl: Partial<Record<ProcessName, string>> = {
    api: `http://127.0.0.1:${ports.api}/healthz`,
    letters: `http://127.0.0.1:${ports.letters}/healthz`,
    bank: `http://127.0.0.1:${ports.bank}/healthz`,
    municipality: `http://127.0.0.1:${ports.municipality}/healthz`,
  };

  async function waitUntilUp(name: ProcessName, child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output.get(name)!.slice(-20).join('\n')}`);
      if (name === 'worker' ? await workerPolling() : await answers(healthUrl[name]!)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${name} did not come up within 180 s`);
  }

  // A worker is up when the server sees it poll the task queue: no log line to parse.
  async function workerPolling(): Promise<boolean> {
    const { pollers } = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: 1 });
    return pollers.some((p) => p.lastAccessTime && Date.now() - Number(p.lastAccessTime.seconds) * 1000 < 5_000);
  }

  async function start(name: ProcessName): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, entries[name])], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = output.get(name)!;
    pipeLines(child, (line) => {
      lines.push(line);
      if (lines.length > 2000) lines.shift();
      log(`[${name}] ${line}`);
    });
    // A process that dies on its own (not killed by the drill) says so in the drill's findings.
    child.once('exit', (code, signal) => {
      lines.push(`exited (${signal ?? code})`);
      if (!endedByDrill.has(child)) crashed.push(`${name} exited (${signal ?? code}): ${lines.slice(-6, -1).join(' | ').slice(0, 600)}`);
    });
    children.set(name, child);
    await waitUntilUp(name, child);
  }

  async function kill(name: ProcessName): Promise<void> {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    endedByDrill.add(child);
    child.kill('SIGKILL');
    await exited;
    children.delete(name);
  }

  async function stop(): Promise<void> {
    for (const name of [...processNames].reverse()) {
      const child = children.get(name);
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      endedByDrill.add(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await connection.close();
    await db.destroy();
    await temporal.stop();
    await database.stop();
  }

  try {
    for (const name of processNames) await start(name);
  } catch (error) {
    // A process that would not start leaves none of the others running behind the drill.
    await stop();
    throw error;
  }

  return {
    apiUrl: `http://127.0.0.1:${ports.api}`,
    keys,
    db,
    dataDir: root,
    taskQueue,
    temporalAddress: temporal.address,
    databaseUrl: database.url,
    ownsPostgres: !adminUrl,
    restartDatabase,
    unexpectedExits: () => [...crashed],
    unhandledErrors: (name) => output.get(name)!.filter((line) => line.includes('unhandled error')).map((line) => line.slice(0, 1500)),
    kill,
    start,
    output,
    stop,
  };
}

/**
 * The cluster a drill runs on: the one it is given (several short drills in turn share one, and
 * it stays up for the next), or one of its own that `done` stops.
 */
export async function drillCluster(name: string, options: DrillClusterOptions & { readonly cluster?: DrillCluster }): Promise<{ cluster: DrillCluster; done: () => Promise<void> }> {
  if (options.cluster) return { cluster: options.cluster, done: async () => {} };
  const cluster = await startDrillCluster(name, options);
  return { cluster, done: () => cluster.stop() };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return response.status < 500;
  } catch {
    return false;
  }
}

/** Files a service has written under `dir` so far (0 before it writes any). */
export function outboxFiles(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  } catch {
    return 0;
  }
}
