import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities, type ActivityDependencies } from '../activities/index.js';
import { activityLogContext } from './activity-log-context.js';
import { encryptedDataConverter, failureConverterPath } from '../shared/codec/data-converter.js';
import type { PayloadKeyring } from '../shared/codec/payload-keys.js';
import { TrackOpener } from '../services/track-client/track-opener.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** The case id on every workflow log line (workflows/case-log-attributes.ts). */
const workflowInterceptorModules = [fileURLToPath(new URL('../workflows/case-log-attributes.ts', import.meta.url))];

/**
 * Evaluated once per worker thread and shared by every workflow, not once per workflow the worker
 * creates (workflows/shared-libraries.ts): a third less worker CPU per track opened.
 */
const preloadModules = [fileURLToPath(new URL('../workflows/shared-libraries.ts', import.meta.url))];

/**
 * What a prebuilt bundle needs (`bundleWorkflowCode({ ...workflowBundleOptions, logger })`): the
 * failure converter runs inside the sandbox, so a workflow's own failures are encrypted too, and
 * the workflows' log lines name their case.
 */
export const workflowBundleOptions = { workflowsPath, failureConverterPath, workflowInterceptorModules, preloadModules } as const;

export interface WorkerSetup extends Omit<ActivityDependencies, 'trackOpener'> {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  /** Built with {@link workflowBundleOptions}. */
  readonly workflowBundle?: WorkerOptions['workflowBundle'];
  /** PAYLOAD_KEYS: what the worker writes to the history is encrypted, what it reads decrypted. */
  readonly payloadKeys: PayloadKeyring;
  /** The worker's capacity settings, when a deployment or the benchmark sets them; the SDK's defaults otherwise. */
  readonly tuning?: WorkerTuning;
}

export type WorkerTuning = Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskExecutions' | 'reuseV8Context'>;

/** One worker serves every workflow and activity of the system on one task queue. */
export function createWorker(setup: WorkerSetup): Promise<Worker> {
  const dataConverter = encryptedDataConverter(setup.payloadKeys);
  // Activities that message workflows (an unpaid advance handed to a track) share the worker's connection.
  const client = new Client({ connection: setup.connection, namespace: setup.namespace, dataConverter });
  return Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath, bundlerOptions: { preloadModules } }),
    dataConverter,
    ...setup.tuning,
    activities: createActivities({ ...setup, client, trackOpener: new TrackOpener(client, setup.taskQueue) }),
    // The case on every log line of an activity, and the attempt as the request id of its calls.
    // (A prebuilt bundle has the workflow interceptors in it: workflowBundleOptions.)
    interceptors: { activity: [activityLogContext], ...(setup.workflowBundle ? {} : { workflowModules: workflowInterceptorModules }) },
  });
}
