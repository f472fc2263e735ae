import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { defineUpdate } from '@temporalio/workflow';
import { google, temporal } from '@temporalio/proto';
import express from 'express';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withEngineDeadline } from '../../../services/track-client/engine-deadline.js';
import { errorHandler } from '../../../services/http/errors.js';
import { listen, type ListeningServer } from '../../../services/http/serve.js';

/** What pg throws for a NUL in text or a year 0 date (fields as pg's DatabaseError has them). */
const postgresError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR', routine: 'report_invalid_encoding_int' });

let server: ListeningServer;
let engine: Http2Server;
let connection: Connection;
const logged: string[] = [];

/**
 * What a loaded Temporal server answered an update-with-start in the worker-killed drill: the
 * multi-operation failed, the start aborted because of the update, the update refused for now.
 */
const updateWithStartRefused = Buffer.from(
  google.rpc.Status.encode({
    code: 9,
    message: 'Update-with-Start could not be executed.',
    details: [{
      type_url: 'type.googleapis.com/temporal.api.errordetails.v1.MultiOperationExecutionFailure',
      value: temporal.api.errordetails.v1.MultiOperationExecutionFailure.encode({
        statuses: [
          { code: 10, message: 'Operation was aborted.', details: [{ type_url: 'type.googleapis.com/temporal.api.failure.v1.MultiOperationExecutionAborted', value: new Uint8Array() }] },
          { code: 9, message: 'Workflow Update cannot be applied now.' },
        ],
      }).finish(),
    }],
  }).finish(),
).toString('base64');

/**
 * A gRPC endpoint (HTTP/2, as the SDK speaks it) that ends every call with INTERNAL, as a loaded
 * Temporal server ended a query in CI: the engine did not answer, with a code nobody expected;
 * and every update-with-start with the refusal above.
 */
function startLoadedEngine(): Promise<number> {
  engine = createHttp2Server();
  engine.on('stream', (stream, headers) => {
    stream.resume();
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    const multiOperation = String(headers[':path']).endsWith('/ExecuteMultiOperation');
    stream.on('wantTrailers', () =>
      stream.sendTrailers(
        multiOperation
          ? { 'grpc-status': '9', 'grpc-message': 'Update-with-Start could not be executed.', 'grpc-status-details-bin': updateWithStartRefused }
          : { 'grpc-status': '13', 'grpc-message': 'query ended by a loaded server' },
      ),
    );
    stream.end();
  });
  return new Promise((resolve) => engine.listen(0, '127.0.0.1', () => resolve((engine.address() as AddressInfo).port)));
}

beforeAll(async () => {
  connection = Connection.lazy({ address: `127.0.0.1:${await startLoadedEngine()}` });
  const client = new Client({ connection });
  const app = express();
  app.get('/engine', async () => {
    await withEngineDeadline(connection, 10_000, () => client.workflow.getHandle('case-1').query('trackStatus'));
  });
  app.get('/update-with-start', async () => {
    const start = new WithStartWorkflowOperation('collectionTrack', { workflowId: 'track-1', taskQueue: 'q', workflowIdConflictPolicy: 'USE_EXISTING' });
    await withEngineDeadline(connection, 10_000, () => client.workflow.executeUpdateWithStart(defineUpdate('registerClaims'), { args: [], startWorkflowOperation: start }));
  });
  app.use(express.json());
  app.post('/zod', () => {
    z.object({ name: z.string() }).parse({ name: 5 });
  });
  app.post('/nul', () => {
    throw postgresError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
  });
  app.post('/date', () => {
    throw postgresError('22008', 'date/time field value out of range: "0000-01-01"');
  });
  app.post('/params/:id', () => {
    throw new Error('not reached');
  });
  app.post('/bug', () => {
    throw postgresError('23505', 'duplicate key value violates unique constraint');
  });
  app.use(errorHandler((line) => logged.push(line)));
  server = await listen(app, 0);
});
afterAll(async () => {
  await server?.close();
  await connection?.close();
  await new Promise((resolve) => (engine ? engine.close(resolve) : resolve(undefined)));
});

const post = async (path: string) => {
  const response = await fetch(`${server.url}${path}`, { method: 'POST' });
  return { status: response.status, body: (await response.json()) as { error: { code: string; message: string; details: unknown[] } } };
};

describe('errorHandler, the last line behind the schemas', () => {
  it('answers a zod error that escaped a route with 400 and its issues', async () => {
    const answer = await post('/zod');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_request', details: [{ path: ['name'], code: 'invalid_type' }] });
    expect(logged.at(-1)).toMatch(/zod error escaped/);
  });

  it("answers Postgres's data exceptions (NUL, a date out of range) with 400, without Postgres's words", async () => {
    for (const path of ['/nul', '/date']) {
      const answer = await post(path);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: { code: 'invalid_request', message: 'the request holds a value that cannot be stored', details: [] } });
      expect(logged.at(-1)).toMatch(/input reached Postgres unchecked \(22/);
    }
  });

  it('answers a path that does not decode with 400', async () => {
    const answer = await post('/params/%ED%A0%80');
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
  });

  it('answers an engine that did not answer with 503, and logs the gRPC status it ended with', async () => {
    const answer = await fetch(`${server.url}/engine`);
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('engine_unavailable');
    expect(logged.at(-1)).toMatch(/^503 engine_unavailable: the collection engine did not answer: gRPC status 13 INTERNAL: query ended by a loaded server/);
  });

  it('answers an update-with-start the loaded server refused for now with 503 (the SDK rethrows it bare)', async () => {
    const answer = await fetch(`${server.url}/update-with-start`);
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('engine_unavailable');
    expect(logged.at(-1)).toMatch(/^503 engine_unavailable: the collection engine did not answer: gRPC status 9 FAILED_PRECONDITION/);
  });

  it('keeps a 500 for what is not bad input', async () => {
    const answer = await post('/bug');
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('internal');
  });
});
