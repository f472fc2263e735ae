import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities, type ActivityDependencies } from '../activities/index.js';
import { encryptedDataConverter, failureConverterPath } from '../shared/codec/data-converter.js';
import type { PayloadKeyring } from '../shared/codec/payload-keys.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * What a prebuilt bundle needs (`bundleWorkflowCode({ ...workflowBundleOptions, logger })`): the
 * failure converter runs inside the sandbox, so a workflow's own failures are encrypted too.
 */
export const workflowBundleOptions = { workflowsPath, failureConverterPath } as const;

export interface WorkerSetup extends ActivityDependencies {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  /** Built with {@link workflowBundleOptions}. */
  readonly workflowBundle?: WorkerOptions['workflowBundle'];
  /** PAYLOAD_KEYS: what the worker writes to the history is encrypted, what it reads decrypted. */
  readonly payloadKeys: PayloadKeyring;
}

/** One worker serves every workflow and activity of the system on one task queue. */
export function createWorker(setup: WorkerSetup): Promise<Worker> {
  return Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath }),
    dataConverter: encryptedDataConverter(setup.payloadKeys),
    activities: createActivities(setup),
  });
}
