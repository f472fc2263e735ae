import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/**
 * Our own services answer within seconds; when one is down the activity retries with backoff for
 * as long as it takes (a letter must go out eventually, never twice: the calls are idempotent).
 */
export const serviceActivities = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Short writes to our own database that need no task queue round trip: a local activity records
 * one marker in history instead of an activity's three events and a workflow task.
 */
export const localActivities = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
