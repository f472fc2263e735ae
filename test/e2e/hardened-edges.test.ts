import type { Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiApp } from '../../services/api/api-app.js';
import { listen, type ListeningServer } from '../../services/http/serve.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

/**
 * Issue 10, hardened edges: a body too large (413), a body of another type than JSON (415),
 * malformed JSON (400) and too many requests with one key (429 with Retry-After) all answer in the
 * api.md error shape, with no stack trace or SQL, and change nothing.
 */

let api: ApiHarness;
const today = amsterdamDate(Date.now());

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
});
afterAll(async () => {
  await api?.close();
});

async function send(baseUrl: string, method: string, path: string, options: { key?: string; contentType?: string; body?: string | Buffer } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(options.key ? { authorization: `Bearer ${options.key}` } : {}), ...(options.contentType ? { 'content-type': options.contentType } : {}) },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as { error: { code: string; message: string; details: unknown[] } } };
}

/** The api.md shape, and nothing of the inside: no stack frame, no SQL, no library's name. */
function expectCleanError(response: Awaited<ReturnType<typeof send>>, status: number, code: string) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.body).toEqual({ error: { code, message: expect.any(String), details: expect.any(Array) } });
  expect(response.text).not.toMatch(/\bat \S+ \(|node_modules|select |insert |body-parser|raw-body|PayloadTooLargeError/i);
}

const tables = async () =>
  (await sql<{ n: string }>`select (select count(*) from collection_case) + (select count(*) from debtor) + (select count(*) from claim) + (select count(*) from corporation) as n`.execute(api.database.db)).rows[0]!.n;

describe('the edges of the API (issue 10)', () => {
  it('refuses a 2 MB body with 413 payload_too_large, and stores nothing', async () => {
    const before = await tables();
    const request = caseRequest({ claims: [rentClaim('R-1', '812.50', addDays(today, -8))] });
    const huge = JSON.stringify({ ...request, padding: 'x'.repeat(2 * 1024 * 1024) });
    const response = await send(api.baseUrl, 'POST', '/v1/cases', { key: api.keys.billing, contentType: 'application/json', body: huge });
    expectCleanError(response, 413, 'payload_too_large');
    expect(response.body.error.message).toMatch(/larger than/);
    expect(await tables()).toBe(before);
  });

  it('refuses a body that is not JSON with 415 unsupported_media_type, whatever it holds', async () => {
    const before = await tables();
    const request = caseRequest({ claims: [rentClaim('R-1', '812.50', addDays(today, -8))] });
    const asText = await send(api.baseUrl, 'POST', '/v1/cases', { key: api.keys.billing, contentType: 'text/plain', body: JSON.stringify(request) });
    expectCleanError(asText, 415, 'unsupported_media_type');
    expect(asText.body.error.message).toContain('application/json');
    const asForm = await send(api.baseUrl, 'PUT', '/v1/corporations/test-corp', { key: api.keys.admin, contentType: 'application/x-www-form-urlencoded', body: 'name=Formcorporatie' });
    expectCleanError(asForm, 415, 'unsupported_media_type');
    const untyped = await send(api.baseUrl, 'PUT', '/v1/corporations/test-corp', { key: api.keys.admin, body: Buffer.from('{"name":"Zonder type"}') });
    expectCleanError(untyped, 415, 'unsupported_media_type');
    const latin1 = await send(api.baseUrl, 'PUT', '/v1/corporations/test-corp', { key: api.keys.admin, contentType: 'application/json; charset=latin1', body: '{"name":"Latijn"}' });
    expectCleanError(latin1, 415, 'unsupported_media_type');
    expect(await tables()).toBe(before);
    // JSON with its charset named is JSON; a write without a body needs no type.
    const typed = await send(api.baseUrl, 'PUT', '/v1/corporations/edge-corp', { key: api.keys.admin, contentType: 'application/json; charset=utf-8', body: '{"name":"Randcorporatie"}' });
    expect(typed.status, typed.text).toBe(200);
    const bodiless = await send(api.baseUrl, 'DELETE', '/v1/holds/no-such-hold', { key: api.keys.operator });
    expect(bodiless.status, bodiless.text).toBe(404);
  });

  it('refuses malformed JSON with 400 invalid_request', async () => {
    const response = await send(api.baseUrl, 'POST', '/v1/cases', { key: api.keys.billing, contentType: 'application/json', body: '{"corporationId": "test-corp",' });
    expectCleanError(response, 400, 'invalid_request');
    expect(response.body.error.message).toBe('malformed JSON body');
  });

  it('answers 429 rate_limited with Retry-After once a key passes its limit; other keys go on', async () => {
    const limited = createApiApp({
      db: api.database.db,
      connection: api.client.connection as Connection,
      client: api.client,
      taskQueue: 'rate-limit-test',
      simulation: false,
      serviceUrls: { letters: api.services.lettersUrl, bank: api.services.bankUrl, municipality: api.services.municipalityUrl },
      rateLimitPerMinute: 3,
    });
    const server: ListeningServer = await listen(limited, 0);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await send(server.url, 'GET', '/v1/corporations/test-corp/policy', { key: api.keys.operator })).status);
      expect(statuses).toEqual([200, 200, 200]);
      const refused = await send(server.url, 'GET', '/v1/corporations/test-corp/policy', { key: api.keys.operator });
      expectCleanError(refused, 429, 'rate_limited');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // A write is refused before it does anything.
      const write = await send(server.url, 'PUT', '/v1/corporations/test-corp', { key: api.keys.operator, contentType: 'application/json', body: '{"name":"x"}' });
      expectCleanError(write, 429, 'rate_limited');
      // The limit is the key's, not the caller's address's.
      expect((await send(server.url, 'GET', '/v1/corporations/test-corp/policy', { key: api.keys.approver })).status).toBe(200);
      // The harness's app has the default limit: the same key is not limited there.
      expect((await send(api.baseUrl, 'GET', '/v1/corporations/test-corp/policy', { key: api.keys.operator })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
