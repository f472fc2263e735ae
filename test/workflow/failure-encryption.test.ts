import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { failureConverterPath } from '../../shared/codec/data-converter.js';
import { testDataConverter } from '../support/payload-keys.js';
import type { FailingActivities } from './fixtures/failing-workflow.js';

/**
 * Issue 10: failures are encrypted too. A workflow's own failure is converted inside the sandbox
 * (the bundle's failure converter), an activity's in the worker; with encodeCommonAttributes both
 * move message and stack trace into a payload the codec encrypts, and the client reads them back.
 */

let connection: Connection;
let nativeConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let client: Client;
const taskQueue = `failure-encryption-${process.pid}-${Date.now().toString(36)}`;
const secrets = ['812.50', 'Geheimhuurder', 'NL91ABNA0417164300'];

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalDevAddress') });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalDevAddress') });
  const activities: FailingActivities = {
    async refuseWithDetails() {
      throw ApplicationFailure.nonRetryable('IBAN NL91ABNA0417164300 of Jansje Geheimhuurder refused the debit', 'DebitRefused');
    },
  };
  worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./fixtures/failing-workflow.ts', import.meta.url)),
      failureConverterPath,
      logger: { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} } as never,
    }),
    activities,
    dataConverter: testDataConverter,
  });
  running = worker.run();
  client = new Client({ connection, dataConverter: testDataConverter });
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await nativeConnection?.close();
});

async function failedRun(where: 'workflow' | 'activity') {
  const workflowId = `failing-${where}-${Date.now().toString(36)}`;
  const error = await client.workflow.execute('failingWorkflow', { taskQueue, workflowId, args: [where] }).catch((e: unknown) => e);
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return { error, history, json: historyToJSON(history as temporal.api.history.v1.History) };
}

describe('failures in the history (issue 10: encrypted payloads)', () => {
  it("keeps a workflow's own failure message encrypted, and the client reads it", async () => {
    const { error, history, json } = await failedRun('workflow');
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause?.message).toBe('payment of 812.50 by Jansje Geheimhuurder refused');
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    for (const secret of secrets) expect(bytes, secret).not.toContain(secret);
    const failed = history.events!.find((e) => e.workflowExecutionFailedEventAttributes)!.workflowExecutionFailedEventAttributes!.failure!;
    expect(failed.message).toBe('Encoded failure');
    expect(new TextDecoder().decode(failed.encodedAttributes!.metadata!.encoding!)).toBe('binary/encrypted');
    expect(json).toContain('Encoded failure');
  });

  it("keeps an activity's failure message encrypted, in its own event and in the workflow's failure that carries it", async () => {
    const { error, history } = await failedRun('activity');
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ActivityFailure);
    expect((cause as ActivityFailure).cause?.message).toBe('IBAN NL91ABNA0417164300 of Jansje Geheimhuurder refused the debit');
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    for (const secret of secrets) expect(bytes, secret).not.toContain(secret);
    const activityFailure = history.events!.find((e) => e.activityTaskFailedEventAttributes)!.activityTaskFailedEventAttributes!.failure!;
    expect(activityFailure.message).toBe('Encoded failure');
    expect(new TextDecoder().decode(activityFailure.encodedAttributes!.metadata!.encoding!)).toBe('binary/encrypted');
  });
});
