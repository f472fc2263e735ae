import { Router } from 'express';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type ListeningServer } from '../../../services/http/serve.js';
import { serviceApp } from '../../../services/http/service-app.js';

const secret = randomBytes(32).toString('hex');
let server: ListeningServer;

beforeAll(async () => {
  const routes = Router();
  routes.get('/things/:thingId', (req, res) => {
    res.json({ thingId: req.params.thingId });
  });
  // Any service built on the shared shell: the metrics and the request ids come with it.
  server = await listen(serviceApp({ service: 'probe', jsonLimit: '1kb', secret, checkHealth: async () => {} }, routes), 0);
});
afterAll(async () => {
  await server?.close();
});

const get = (path: string, withCredential = true) => fetch(`${server.url}${path}`, { headers: withCredential ? { authorization: `Bearer ${secret}` } : {} });

/** One sample's value from the exposition text; 0 when the series is not there yet. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('HTTP metrics of a service', () => {
  it('counts requests by route pattern and status, with latencies, on /metrics without a credential', async () => {
    const before = await (await get('/metrics', false)).text();
    for (const id of ['1', '2', 'abc-3']) expect((await get(`/things/${id}`)).status).toBe(200);
    expect((await get('/nothing-here')).status).toBe(404);
    expect((await get('/things/4', false)).status).toBe(401);

    const response = await get('/metrics', false);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const ok = { service: 'probe', method: 'GET', route: '/things/:thingId', status: '200' };
    expect(sample(text, 'huurincasso_http_requests_total', ok) - sample(before, 'huurincasso_http_requests_total', ok)).toBe(3);
    expect(sample(text, 'huurincasso_http_request_duration_seconds_count', ok) - sample(before, 'huurincasso_http_request_duration_seconds_count', ok)).toBe(3);
    expect(sample(text, 'huurincasso_http_request_duration_seconds_bucket', { ...ok, le: '+Inf' })).toBeGreaterThanOrEqual(3);
    // Paths no route took, and refusals before any route, share one series: no path becomes a label.
    expect(sample(text, 'huurincasso_http_requests_total', { service: 'probe', route: '(unmatched)', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'huurincasso_http_requests_total', { service: 'probe', route: '(unmatched)', status: '401' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('/things/1');
    expect(text).not.toContain('abc-3');
    expect(text).not.toContain('nothing-here');
    // The process's own figures come along (memory, event loop lag).
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('echoes a request id on every answer, a refusal too', async () => {
    const refused = await fetch(`${server.url}/things/1`, { headers: { 'x-request-id': 'scrape-check-1' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toBe('scrape-check-1');
    expect((await get('/things/1')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
