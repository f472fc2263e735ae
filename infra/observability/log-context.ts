import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line written while handling one request (or one activity) carries: the request
 * id, and once the work turns out to be about a case, the case and its track. Kept in async-local
 * storage, so a line written deep in a store or a client names them without being handed them.
 */
export interface LogContext {
  requestId?: string;
  caseId?: string;
  workflowId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

export const currentLogContext = (): LogContext | undefined => storage.getStore();

/** Runs `work` with its own context; lines written inside it (and in what it awaits) carry it. */
export const withLogContext = <T>(context: LogContext, work: () => T): T => storage.run(context, work);

/** The work at hand turned out to be about this case: the lines from here on name it. */
export function noteCase(ids: { caseId?: string; workflowId?: string }): void {
  const context = storage.getStore();
  if (!context) return;
  if (ids.caseId) context.caseId = ids.caseId;
  if (ids.workflowId) context.workflowId = ids.workflowId;
}
