import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeHttp } from '../../../infra/observability/http-observability.js';
import { noteCase } from '../../../infra/observability/log-context.js';
import { createLogger } from '../../../infra/observability/logger.js';
import { errorHandler, unprocessable } from '../../../services/http/errors.js';
import { listen, type ListeningServer } from '../../../services/http/serve.js';
import { eventually } from '../../support/eventually.js';

/** Everything a careless log line could leak, as a tenant's details and a caller's credentials. */
const personal = {
  name: 'Johanna van der Berg-Smit',
  street: 'Kerkstraat 117',
  postalCode: '3511 LK',
  city: 'Amersfoort',
  iban: 'NL91ABNA0417164300',
  email: 'johanna.berg@voorbeeld.nl',
  phone: '06-48213377',
  person: 'Pieter Operateur',
  apiKey: 'hi_billing_Zx81kQpL0mN3vB5cD7eF9gH1',
  serviceSecret: 'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffee',
  cookie: 'ops_session=5e55i0n-t0k3n-value',
};

const lines: string[] = [];
const logger = createLogger({ process: 'test', level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
let server: ListeningServer;

beforeAll(async () => {
  const app = express();
  observeHttp(app, { service: 'probe', logger });
  app.use(express.json());
  app.post('/v1/cases/:caseId/notes', (req, res) => {
    noteCase({ caseId: req.params.caseId, workflowId: `track/test-corp/${String(req.body.contractRef)}` });
    // A line written deep in the work, with details it should never have been handed.
    // (A name in free text cannot be told from other words: names go in fields, which are redacted.)
    logger.info({ debtor: req.body.debtor, iban: req.body.debtor?.iban, name: personal.name }, `note on ${personal.iban}, ${personal.email}, ${personal.phone}`);
    logger.warn({ headers: req.headers }, `called with Bearer ${personal.apiKey}`);
    if (req.body.refuse) throw unprocessable('refused', 'no');
    res.status(201).json({ ok: true });
  });
  app.use(errorHandler((line) => logger.error(line)));
  server = await listen(app, 0);
});
afterAll(async () => {
  await server?.close();
});

const body = (refuse: boolean) => ({
  refuse,
  contractRef: 'HC-2026-000123',
  amount: '812.50',
  debtor: {
    name: personal.name,
    address: { street: personal.street, postalCode: personal.postalCode, city: personal.city },
    iban: personal.iban,
    email: personal.email,
    phone: personal.phone,
  },
  note: `called ${personal.name} on ${personal.phone}`,
  person: personal.person,
  claims: [{ invoiceRef: 'R-2026-10', description: `Huur ${personal.street}`, amount: '812.50', dueDate: '2026-10-01' }],
});

async function post(caseId: string, headers: Record<string, string>, refuse: boolean) {
  lines.length = 0;
  const response = await fetch(`${server.url}/v1/cases/${caseId}/notes?email=${encodeURIComponent(personal.email)}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${personal.apiKey}`,
      'x-api-key': personal.serviceSecret,
      cookie: personal.cookie,
      ...headers,
    },
    body: JSON.stringify(body(refuse)),
  });
  // The completed-request line is written once the answer has gone out.
  await eventually(async () => lines.map((line) => JSON.parse(line) as Record<string, any>), (all) => all.some((line) => line.res), 5_000);
  return { response, logged: lines.map((line) => JSON.parse(line) as Record<string, any>) };
}

describe('request logging', () => {
  it('writes no personal data and no credential, whatever the request and the code log', async () => {
    for (const refuse of [false, true]) {
      const { response, logged } = await post('0b6f1c2e-0000-4000-8000-000000000001', {}, refuse);
      expect(response.status).toBe(refuse ? 422 : 201);
      const output = lines.join('');
      // What the test sent did reach the log (so the next check proves something)…
      expect(logged.length).toBeGreaterThanOrEqual(2);
      expect(output).toContain('HC-2026-000123');
      // …and none of this did.
      for (const [what, value] of Object.entries(personal)) expect(output, `${what} leaked`).not.toContain(value);
      for (const fragment of ['Johanna', 'Kerkstraat', 'Amersfoort', '0417164300', 'voorbeeld.nl', '48213377', 'Zx81kQpL', 'c0ffee', '5e55i0n']) {
        expect(output, `${fragment} leaked`).not.toContain(fragment);
      }
    }
  });

  it('keeps what an on-call engineer needs of a refused request: ids, amounts, the shape of the body', async () => {
    const { logged } = await post('0b6f1c2e-0000-4000-8000-000000000002', {}, true);
    const completed = logged.find((line) => line.res?.statusCode === 422)!;
    expect(completed.route).toBe('/v1/cases/:caseId/notes');
    expect(completed.body).toEqual({
      refuse: true,
      contractRef: 'HC-2026-000123',
      amount: '812.50',
      debtor: '[redacted]',
      note: '[redacted]',
      person: '[redacted]',
      claims: [{ invoiceRef: 'R-2026-10', description: '[redacted]', amount: '812.50', dueDate: '2026-10-01' }],
    });
    expect(completed.req).toEqual({ method: 'POST', url: '/v1/cases/0b6f1c2e-0000-4000-8000-000000000002/notes?email=[redacted]' });
  });

  it("puts the caller's request id, the case and its track on every line of the request, and echoes the id", async () => {
    const { response, logged } = await post('0b6f1c2e-0000-4000-8000-000000000003', { 'x-request-id': 'billing-run-42/line-7' }, false);
    expect(response.headers.get('x-request-id')).toBe('billing-run-42/line-7');
    expect(logged.length).toBe(3);
    for (const line of logged) {
      expect(line).toMatchObject({
        process: 'test',
        requestId: 'billing-run-42/line-7',
        caseId: '0b6f1c2e-0000-4000-8000-000000000003',
        workflowId: 'track/test-corp/HC-2026-000123',
      });
    }
    expect(logged.at(-1)).toMatchObject({ level: 'info', msg: 'POST /v1/cases/:caseId/notes 201 in ' + logged.at(-1)!.responseTime + ' ms' });
  });

  it('makes its own request id when the caller sent none, or one that is not a plain token', async () => {
    for (const sent of [undefined, 'two words', `x${'y'.repeat(200)}`]) {
      const { response, logged } = await post('0b6f1c2e-0000-4000-8000-000000000004', sent ? { 'x-request-id': sent } : {}, false);
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(logged.every((line) => line.requestId === id)).toBe(true);
    }
  });
});
