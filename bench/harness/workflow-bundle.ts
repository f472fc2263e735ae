import type { WorkflowBundle } from '@temporalio/worker';
import { productWorkflowCode } from '../../worker/workflow-bundle-file.js';
import { runWide } from './run-wide.js';

/**
 * The product's workflow code, bundled once for the whole run (5–10 s of webpack on this machine)
 * and handed to every worker the bench starts, as the drills do with WORKFLOW_BUNDLE. Every
 * worker still builds its own sandbox from it, so no workflow state is shared.
 */
export function benchWorkflowBundle(): Promise<WorkflowBundle> {
  return runWide('workflow bundle', async () => {
    return { value: { code: await productWorkflowCode() }, stop: async () => {} };
  });
}
