import { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { withLogContext, type LogContext } from '../infra/observability/log-context.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The case an activity works for: its request's `caseId`, or the case id it was given as such. */
function caseIdOf(args: readonly unknown[]): string | undefined {
  const first = args[0];
  if (typeof first === 'string') return uuid.test(first) ? first : undefined;
  const caseId = (first as { caseId?: unknown } | null | undefined)?.caseId;
  return typeof caseId === 'string' ? caseId : undefined;
}

/**
 * Puts the case on the activity's log lines: those of the SDK (`Activity failed`, through the
 * runtime's logger, which already names the workflow and the activity) and any the activity's own
 * code writes with the process logger. The attempt's id (workflow/activity/attempt) becomes the
 * request id the services' log lines of its calls carry (activities/service-client.ts).
 */
export const activityLogContext: ActivityInterceptorsFactory = () => {
  const context: LogContext = {};
  return {
    inbound: {
      execute(input, next) {
        const info = Context.current().info;
        context.caseId = caseIdOf(input.args);
        context.workflowId = info.workflowExecution?.workflowId;
        context.requestId = `${info.workflowExecution?.workflowId ?? 'standalone'}/${info.activityId}/${info.attempt}`.replace(/[^A-Za-z0-9._:/-]/g, '_').slice(0, 128);
        return withLogContext(context, () => next(input));
      },
    },
    outbound: {
      getLogAttributes(input, next) {
        return next(context.caseId ? { ...input, caseId: context.caseId } : input);
      },
    },
  };
};
