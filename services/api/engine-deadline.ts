import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, type Connection } from '@temporalio/client';
import { HttpError, serviceUnavailable } from '../http/errors.js';

export const engineUnavailableCode = 'engine_unavailable';

/**
 * gRPC status codes (grpc-js is the SDK's dependency, not ours) that say the engine did not answer
 * rather than answered no: cancelled, unknown, deadline exceeded, resource exhausted, internal,
 * unavailable. A loaded server ends a query it could not get a worker to answer with one of
 * several of these (CI saw one that was neither a deadline nor unavailable).
 */
const engineDidNotAnswer = new Set([1, 2, 4, 8, 13, 14]);
const failedPrecondition = 9;

/** A worker restart takes seconds; sooner than this a retry would likely meet the same outage. */
const retryAfterSeconds = 5;

export function engineUnavailable(timeoutMs: number): HttpError {
  return serviceUnavailable(
    engineUnavailableCode,
    `the collection engine did not answer within ${timeoutMs / 1000} s (its worker or server is away). ` +
      'It is safe to retry this request unchanged: requests are idempotent, and one the engine already took is applied once when it is back.',
    retryAfterSeconds,
  );
}

export function isEngineUnavailable(error: unknown): boolean {
  return error instanceof HttpError && error.code === engineUnavailableCode;
}

/**
 * Whether an error means the engine did not answer, rather than answered no: a deadline, an
 * unreachable server, or an update's long-poll cut short. The SDK wraps gRPC errors, so the
 * whole cause chain is looked at.
 */
function isEngineAway(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(e) && engineDidNotAnswer.has(e.code)) return true;
    // A query when the task queue's workers have gone: the server may answer at once that it saw
    // no poller recently (the worker may be down) instead of waiting out the deadline.
    if (isGrpcServiceError(e) && e.code === failedPrecondition && /poller/i.test(`${e.details} ${e.message}`)) return true;
  }
  return false;
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
    throw isEngineAway(error) ? engineUnavailable(timeoutMs) : error;
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
