import { Context } from '@temporalio/activity';
import express from 'express';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { callService } from '../../activities/service-client.js';
import { createLogger } from '../../infra/observability/logger.js';
import { listen, type ListeningServer } from '../../services/http/serve.js';
import { activityLogContext } from '../../worker/activity-log-context.js';
import { installWorkerRuntime } from '../../worker/runtime-telemetry.js';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/ports.js';
import type { metricsProbe, ProbeActivities } from './fixtures/metrics-probe-workflow.js';

const lines: Record<string, any>[] = [];
const logger = createLogger({ process: 'worker', level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
let metricsUrl: string;
let connection: NativeConnection;
let clientConnection: Connection;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `telemetry-${process.pid}-${Date.now().toString(36)}`;

/** A service the activity calls, answering with the request id it was called with. */
let echo: ListeningServer;
const activities: ProbeActivities = {
  async flakyLookup({ caseId }) {
    Context.current().log.info('looking up');
    if (Context.current().info.attempt === 1) throw new Error('the register did not answer');
    const { requestId } = await callService<{ requestId: string }>({ url: echo.url, secret: 'unused' }, '/echo', {});
    return `found ${caseId} as ${requestId}`;
  },
};

beforeAll(async () => {
  // As worker/main.ts does, before any connection of this process (a test file is a process of its own).
  const app = express();
  app.post('/echo', (req, res) => {
    res.json({ requestId: req.get('x-request-id') });
  });
  echo = await listen(app, 0);
  const port = await freePort();
  installWorkerRuntime({ logger, metricsAddress: `127.0.0.1:${port}` });
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  connection = await NativeConnection.connect({ address: inject('temporalDevAddress') });
  worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./fixtures/metrics-probe-workflow.ts', import.meta.url)),
    activities,
    // The production worker's interceptors (worker/create-worker.ts).
    interceptors: { activity: [activityLogContext], workflowModules: [fileURLToPath(new URL('../../workflows/case-log-attributes.ts', import.meta.url))] },
  });
  running = worker.run();
  clientConnection = await Connection.connect({ address: inject('temporalDevAddress') });
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await clientConnection?.close();
  await connection?.close();
  await echo?.close();
});

describe("the worker's Temporal runtime", () => {
  it('serves the SDK metrics with activity failures by type, and logs JSON lines with the workflow and the case', async () => {
    const caseId = randomUUID();
    const workflowId = `probe/${caseId}`;
    const client = new Client({ connection: clientConnection });
    // The activity's calls carry its attempt as their request id: the service's lines name it.
    expect(await client.workflow.execute<typeof metricsProbe>('metricsProbe', { taskQueue, workflowId, args: [{ caseId }] })).toBe(`found ${caseId} as ${workflowId}/1/2`);

    const failedLine = (text: string) => text.split('\n').find((l) => l.startsWith('temporal_activity_execution_failed') && l.includes('activity_type="flakyLookup"'));
    const text = await eventually(
      async () => (await fetch(metricsUrl)).text(),
      (t) => failedLine(t) !== undefined,
    );
    expect(failedLine(text)).toMatch(/ 1$/);
    expect(text).toMatch(/^temporal_workflow_completed\{.*workflow_type="metricsProbe".*\} 1$/m);
    expect(text).toContain('temporal_activity_execution_latency');

    // The SDK's lines and the activities' own reach the logger through the runtime's log
    // forwarding, which flushes on its own schedule: the workflow can have completed before them.
    await eventually(
      async () => lines,
      (l) => l.some((line) => line.msg === 'Activity failed') && l.filter((line) => line.msg === 'looking up').length >= 2 && l.some((line) => line.msg === 'probe started'),
    );
    const failed = lines.find((l) => l.msg === 'Activity failed');
    expect(failed).toMatchObject({ level: 'warn', process: 'worker', sdkComponent: 'worker', activityType: 'flakyLookup', workflowId, caseId, attempt: 1 });
    expect(failed?.error?.message).toBe('the register did not answer');
    expect(failed).not.toHaveProperty('taskToken');
    // The activity's own lines carry the case, the workflow, and the attempt as the request id.
    const own = lines.filter((l) => l.msg === 'looking up');
    expect(own).toHaveLength(2);
    expect(own[1]).toMatchObject({ caseId, workflowId, activityType: 'flakyLookup', attempt: 2 });
    // A workflow's line names its workflow and its case.
    expect(lines.find((l) => l.msg === 'probe started')).toMatchObject({ sdkComponent: 'workflow', workflowId, workflowType: 'metricsProbe', caseId });
  });
});
