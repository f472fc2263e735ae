import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../services/http/database-unavailable.js';
import { errorHandler } from '../../../services/http/errors.js';

/** A database restart under load (npm run drill) answered 500 internal before: now a 503 the caller repeats. */
describe('a database that is away', () => {
  const thrown: { error?: unknown } = {};
  let base = '';
  let close = () => {};
  beforeAll(async () => {
    const app = express();
    app.get('/fails', () => {
      throw thrown.error;
    });
    app.use(errorHandler(() => {}));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

  it.each([
    ['an administrator ended the connection (a restart)', pgError('57P01', 'terminating connection due to administrator command')],
    ['the server is starting up', pgError('57P03', 'the database system is starting up')],
    ['the database takes no connections', pgError('55000', 'database "x" is not currently accepting connections')],
    ['nobody listens', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['the connection went away mid-query', new Error('Connection terminated unexpectedly')],
    ['wrapped in a cause', new Error('query failed', { cause: pgError('08006', 'connection failure') })],
  ])('answers 503 database_unavailable with a Retry-After when %s', async (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    thrown.error = error;
    const response = await fetch(`${base}/fails`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({ error: { code: 'database_unavailable', message: expect.stringContaining('try again'), details: [] } });
  });

  it('still answers 500 for a bug, and 400 for input that reached Postgres', async () => {
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    thrown.error = new TypeError('x is undefined');
    expect((await fetch(`${base}/fails`)).status).toBe(500);
    thrown.error = pgError('22P02', 'invalid input syntax for type uuid');
    expect((await fetch(`${base}/fails`)).status).toBe(400);
  });
});
