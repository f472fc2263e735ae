import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorHandler } from '../../../services/http/errors.js';
import { listen, type ListeningServer } from '../../../services/http/serve.js';

/** What pg throws for a NUL in text or a year 0 date (fields as pg's DatabaseError has them). */
const postgresError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR', routine: 'report_invalid_encoding_int' });

let server: ListeningServer;
const logged: string[] = [];

beforeAll(async () => {
  const app = express();
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

  it('keeps a 500 for what is not bad input', async () => {
    const answer = await post('/bug');
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('internal');
  });
});
