import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, type Connection } from '@temporalio/client';
import { HttpError, serviceUnavailable } from '../http/errors.js';

export const engineUnavailableCode = 'engine_unavailable';

/**
 * gRPC status codes (grpc-js is the SDK's dependency, not ours) that say the engine did not answer
 * rather than answered no: cancelled, unknown, deadline exceeded, resource exhausted, internal,
 * unavailable, and aborted (an update the server gave up on: the run moved on to its next run or
 * its workflow task failed; the SDK then says only "Workflow Update failed", and a retry of the
 * idempotent request reaches the new run). A loaded server ends a query it could not get a worker
 * to answer with one of several of these (CI saw one that was neither a deadline nor unavailable).
 */
const engineDidNotAnswer = new Set([1, 2, 4, 8, 10, 13, 14]);
const failedPrecondition = 9;
/** The gRPC status codes' names by number, for the log: the next unexpected code is read there, not guessed. */
const grpcStatusNames = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

/** A worker restart takes seconds; sooner than this a retry would likely meet the same outage. */
const retryAfterSeconds = 5;

/** `why`: for the log only (the gRPC status that said so); the caller learns that a retry is safe, no more. */
export function engineUnavailable(timeoutMs: number, why = `no answer within ${timeoutMs / 1000} s`): HttpError {
  return serviceUnavailable(
    engineUnavailableCode,
    `the collection engine did not answer within ${timeoutMs / 1000} s (its worker or server is away). ` +
      'It is safe to retry this request unchanged: requests are idempotent, and one the engine already took is applied once when it is back.',
    retryAfterSeconds,
    `the collection engine did not answer: ${why}`,
  );
}

export function isEngineUnavailable(error: unknown): boolean {
  return error instanceof HttpError && error.code === engineUnavailableCode;
}

/**
 * Whether an error means the engine did not answer, rather than answered no: a deadline, an
 * unreachable server, or an update's long-poll cut short. The SDK wraps gRPC errors, so the
 * whole cause chain is looked at. The answer says why, with the gRPC status where one said so
 * (null: the engine answered).
 */
function engineAwayBecause(error: unknown): string | null {
  let cutShort = false;
  let inUpdate = false;
  for (let e = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) cutShort = true;
    if (/^(Workflow Update|Update-With-Start) failed$/.test(e.message)) inUpdate = true;
    if (!isGrpcServiceError(e)) continue;
    const status = `gRPC status ${e.code} ${grpcStatusNames[e.code] ?? '(not a known code)'}: ${e.details || e.message}`;
    if (engineDidNotAnswer.has(e.code)) return status;
    // A query when the task queue's workers have gone: the server may answer at once that it saw
    // no poller recently (the worker may be down) instead of waiting out the deadline.
    if (e.code === failedPrecondition && /poller/i.test(`${e.details} ${e.message}`)) return status;
    // An update or update-with-start the loaded server would not take yet (seen by the intake
    // bench, the bulk intake and the worker-killed drill): our updates are idempotent, so the
    // caller's retry is the answer. The SDK wraps most of these ("… failed"), but rethrows an
    // update-with-start's own failure bare, its code taken from the failed operation.
    if (e.code === failedPrecondition && (inUpdate || isMultiOperationFailure(e))) return status;
  }
  return cutShort ? "an update's long-poll was cut short (no gRPC status)" : null;
}

const multiOperationFailureType = 'temporal.api.errordetails.v1.MultiOperationExecutionFailure';

/**
 * Whether the server's answer carries the failure of a multi-operation (update-with-start). Read
 * from the status details' type URL (a protobuf string field, so its bytes are the plain name),
 * which is the protocol's own label for it, not the wording of a message.
 */
function isMultiOperationFailure(error: { metadata?: { get(key: string): unknown[] } }): boolean {
  const details = error.metadata?.get('grpc-status-details-bin')?.[0];
  return Buffer.isBuffer(details) && details.includes(multiOperationFailureType);
}

/**
 * Bounds a piece of work that talks to Temporal. The gRPC deadline ends the calls in flight
 * (update and update-with-start are long-polls that wait for a worker for ever); the timer
 * keeps the bound even while the SDK's retry of an unreachable server sleeps between attempts.
 */
export async function withEngineDeadline<T>(connection: Connection, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(engineUnavailable(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([connection.withDeadline(Date.now() + timeoutMs, work), timedOut]);
  } catch (error) {
    const away = engineAwayBecause(error);
    throw away ? engineUnavailable(timeoutMs, away) : error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The same object with every method call bounded by {@link withEngineDeadline}, so methods added
 * to the target later are bounded too. Every method of the target must return a promise.
 */
export function boundEngineCalls<T extends object>(target: T, connection: Connection, timeoutMs: number): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      // Called on the target itself, so a method's calls to its own siblings share one bound.
      return (...args: unknown[]) => withEngineDeadline(connection, timeoutMs, () => value.apply(object, args));
    },
  });
}
