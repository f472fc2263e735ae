import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * Puts the case on a workflow's log lines (`log.warn(…)` in a workflow; the SDK adds the
 * workflow's id, run and type): a track, its bailiff phase and an arrangement monitor all start
 * from an input naming their case. Only log attributes: nothing here reaches the history, so
 * running and recorded tracks replay as before.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  let caseId: string | undefined;
  return {
    inbound: [
      {
        execute(input, next) {
          const named = (input.args[0] as { caseId?: unknown } | null | undefined)?.caseId;
          caseId = typeof named === 'string' ? named : undefined;
          return next(input);
        },
      },
    ],
    outbound: [
      {
        getLogAttributes(input, next) {
          return next(caseId ? { ...input, caseId } : input);
        },
      },
    ],
  };
};
