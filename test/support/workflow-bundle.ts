import type { WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';

/**
 * The product's workflows (worker/create-worker.ts workflowBundleOptions: the production worker's
 * failure converter, interceptors and preloaded modules), bundled once per test run by
 * test/support/global-setup.ts. Test files with workflows of their own still bundle those.
 */
export function productWorkflowBundle(): NonNullable<WorkerOptions['workflowBundle']> {
  return { codePath: inject('workflowBundlePath') };
}
