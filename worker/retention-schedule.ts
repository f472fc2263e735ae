import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';

export const retentionScheduleId = 'retention-daily';

/**
 * The retention job as a Temporal Schedule: once a day, one run at a time (a run still busy makes
 * the next day's skip), and a day the server was down is caught up once it is back. The server
 * keeps the schedule, so it survives restarts of the worker; each worker start makes sure it exists
 * and points at this worker's task queue.
 */
export function retentionScheduleOptions(taskQueue: string, scheduleId = retentionScheduleId) {
  return {
    scheduleId,
    // 02:00 UTC: 03:00 or 04:00 in Amsterdam, before the working day.
    spec: { calendars: [{ hour: 2, minute: 0, comment: 'daily retention run (AVG art. 5(1)(e))' }] },
    action: { type: 'startWorkflow', workflowType: 'retention', taskQueue, args: [], workflowId: scheduleId },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  } satisfies ScheduleOptions;
}

/** Creates the schedule, or brings an existing one up to date; answers which. */
export async function ensureRetentionSchedule(client: Client, taskQueue: string, scheduleId = retentionScheduleId): Promise<'created' | 'updated'> {
  const options = retentionScheduleOptions(taskQueue, scheduleId);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies }));
    return 'updated';
  }
}
