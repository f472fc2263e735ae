import { tsToMs } from '@temporalio/common/lib/time.js';
import { isGrpcServiceError, type Connection } from '@temporalio/client';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';

/** Where the letter, bank and municipality services answer (shared/config.ts). */
export interface ServiceUrls {
  readonly letters: string;
  readonly bank: string;
  readonly municipality: string;
}

export interface HealthDependencies {
  readonly db: Kysely<Database>;
  readonly connection: Connection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly serviceUrls: ServiceUrls;
  /** The bound on each check; the checks run side by side, so also on the whole answer. */
  readonly timeoutMs: number;
}

type Probe = 'ok' | 'unavailable';
/** `unknown`: the server cannot say (the time-skipping server of a simulation lists no pollers). */
type WorkerProbe = Probe | 'unknown';

export interface Health {
  readonly status: 'ok' | 'degraded';
  readonly temporal: Probe;
  readonly database: Probe;
  readonly worker: WorkerProbe;
  readonly services: { readonly letters: Probe; readonly bank: Probe; readonly municipality: Probe };
}

/**
 * A poller counts as present when it polled this recently. The server keeps pollers it has seen
 * for minutes after they stop, and an idle worker's long-poll lasts up to a minute before it
 * polls again, so the window is a little over that minute.
 */
const pollerWindowMs = 75_000;

/** Task queue types (temporal.api.enums.v1.TaskQueueType): one worker serves both on the queue. */
const workflowTasks = 1;
const activityTasks = 2;
const normalTaskQueue = 1;
/** The gRPC status of a method the server does not have. */
const unimplemented = 12;

async function probe<P extends string>(timeoutMs: number, check: (signal: AbortSignal) => Promise<boolean | P>): Promise<Probe | P> {
  const signal = AbortSignal.timeout(timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  // The timer keeps the bound for every check: a pg query heeds no signal, and the SDK's retry
  // of an unreachable server sleeps between attempts.
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const outcome = await Promise.race([check(signal), timedOut]);
    return outcome === true ? 'ok' : outcome === false ? 'unavailable' : outcome;
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

/** Ends the gRPC calls of a check that ran out of time, instead of leaving them waiting. */
const withinBound = <T>(deps: HealthDependencies, call: () => Promise<T>) => deps.connection.withDeadline(Date.now() + deps.timeoutMs, call);

async function workerPolls(deps: HealthDependencies): Promise<boolean | 'unknown'> {
  const since = Date.now() - pollerWindowMs;
  const polling = await withinBound(deps, () =>
    Promise.all(
      [workflowTasks, activityTasks].map(async (taskQueueType) => {
        const { pollers } = await deps.connection.workflowService.describeTaskQueue({
          namespace: deps.namespace,
          taskQueue: { name: deps.taskQueue, kind: normalTaskQueue },
          taskQueueType,
        });
        return (pollers ?? []).some((p) => p.lastAccessTime && tsToMs(p.lastAccessTime) >= since);
      }),
    ),
  ).catch((error: unknown) => {
    if (isGrpcServiceError(error) && error.code === unimplemented) return 'unknown' as const;
    throw error;
  });
  return polling === 'unknown' ? polling : polling.every(Boolean);
}

async function answers(url: string, signal: AbortSignal): Promise<boolean> {
  const response = await fetch(new URL('/healthz', url), { signal });
  await response.body?.cancel();
  return response.ok;
}

/** Temporal, Postgres, the worker and each service, checked side by side within the bound. */
export async function checkHealth(deps: HealthDependencies): Promise<Health> {
  const bounded = (check: (signal: AbortSignal) => Promise<boolean>) => probe<never>(deps.timeoutMs, check);
  const [temporal, database, worker, letters, bank, municipality] = await Promise.all([
    bounded(() => withinBound(deps, () => deps.connection.workflowService.getSystemInfo({})).then(() => true)),
    bounded(() => sql`select 1`.execute(deps.db).then(() => true)),
    probe(deps.timeoutMs, () => workerPolls(deps)),
    bounded((signal) => answers(deps.serviceUrls.letters, signal)),
    bounded((signal) => answers(deps.serviceUrls.bank, signal)),
    bounded((signal) => answers(deps.serviceUrls.municipality, signal)),
  ]);
  // A worker the server cannot report on is not counted against the stack (simulation only).
  const all = [temporal, database, worker === 'unknown' ? 'ok' : worker, letters, bank, municipality];
  return {
    status: all.every((p) => p === 'ok') ? 'ok' : 'degraded',
    temporal,
    database,
    worker,
    services: { letters, bank, municipality },
  };
}
