import express from 'express';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serviceCredentialHeaders } from '../../activities/service-client.js';
import { createDatabase } from '../../infra/db/connection.js';
import { upsertCorporation } from '../../infra/db/corporation-store.js';
import { projectRoot } from '../../infra/paths.js';
import { createBankService } from '../../services/bank/bank-service.js';
import { listen } from '../../services/http/serve.js';
import { createLetterService } from '../../services/letters/letter-service.js';
import { createMunicipalityService } from '../../services/municipality/municipality-service.js';
import { recordCase } from '../../services/api/routes/cases.js';
import { freePort } from '../support/ports.js';
import { startServices, type RunningServices } from '../support/services.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

/**
 * The letter, bank and municipality services answer only a caller holding the service's own
 * credential. Every route each service's router serves (read from its router stack, so a route
 * added later is walked too) is called without a credential and with wrong ones: each answers
 * 401 in the api.md error shape, says nothing else, and changes nothing.
 */

let database: TestDatabase;
let services: RunningServices;
let caseId: string;
let letterId: string;

const debtor = {
  name: 'Geheime Huurder',
  address: { street: 'Verborgenstraat 17', postalCode: '9999 ZZ', city: 'Stiltedorp' },
  email: 'geheim@example.org',
  phone: '06-99887766',
};
const personalData = [debtor.name, debtor.address.street, debtor.address.postalCode, debtor.address.city, debtor.email, debtor.phone];

type ServiceName = 'letters' | 'bank' | 'municipality';
const serviceNames: readonly ServiceName[] = ['letters', 'bank', 'municipality'];

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'));
  await upsertCorporation(database.db, 'test-corp', { name: 'Testcorporatie', vatSurcharge: false });
  services = await startServices(database.db);
  const request = caseRequest({ claims: [rentClaim('R-2026-09', '812.50', '2026-09-01')] });
  ({ caseId } = await recordCase(database.db, { ...request, debtor }));

  // A letter on record, sent with the right credential: the thing an outsider would like to read.
  const sent = await call('letters', 'POST', '/letters', { secret: services.letters.secret, body: letterRequest('seed') });
  expect(sent.status).toBe(201);
  letterId = (sent.body as { letterId: string }).letterId;
});
afterAll(async () => {
  await services?.close();
  await database?.drop();
});

const letterRequest = (key: string) => ({
  idempotencyKey: `closed-${key}-${caseId}`,
  caseId,
  kind: 'reminder',
  postedOn: '2026-11-23',
  facts: { invoiceRefs: ['R-2026-09'], principal: '999999.00', interest: '0.00', outstanding: '999999.00' },
});
const signalRequest = (key: string) => ({
  idempotencyKey: `closed-${key}-${caseId}`,
  caseId,
  kind: 'eviction_date',
  arrears: '812.50',
  signalDate: '2026-11-23',
  evictionDate: '2026-12-15',
});

async function call(service: ServiceName, method: string, path: string, options: { secret?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const response = await fetch(new URL(path, services[service].url), {
    method,
    headers: {
      ...(options.secret !== undefined ? serviceCredentialHeaders(options.secret) : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the assertions show the text
  }
  return { status: response.status, text, headers: response.headers, body };
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}
function routesOf(stack: readonly Layer[]): { method: string; path: string }[] {
  return stack.flatMap((layer) => {
    const route = layer.route;
    if (route) return Object.keys(route.methods).filter((m) => route.methods[m] && m !== '_all').map((m) => ({ method: m.toUpperCase(), path: route.path }));
    return layer.handle?.stack ? routesOf(layer.handle.stack) : [];
  });
}

/** Every route of a service, as its app serves it (built with a database it never touches). */
function servedRoutes(service: ServiceName) {
  const secret = 'x'.repeat(64);
  const options = { db: {} as never, outboxDir: tmpdir(), secret };
  const app: express.Express = service === 'letters' ? createLetterService(options) : service === 'bank' ? createBankService(options) : createMunicipalityService(options);
  // Open by design, holding nothing of a tenant's: the health probe and the Prometheus scrape (checked below).
  return routesOf((app as unknown as { router: { stack: Layer[] } }).router.stack).filter((r) => r.path !== '/healthz' && r.path !== '/metrics');
}

/** A well-formed body for each route that takes one: the refusal must not depend on bad input. */
function validBody(service: ServiceName, method: string, path: string): unknown {
  if (method === 'GET') return undefined;
  if (service === 'letters' && path === '/letters') return letterRequest('forged');
  if (service === 'municipality' && path === '/signals') return signalRequest('forged');
  if (service === 'bank' && path === '/payment-references') return { caseId };
  return undefined;
}

const concretePath = (path: string) => path.replace(':letterId', letterId).replace(/:[A-Za-z]+/g, caseId) + (path === '/letters' ? `?caseId=${caseId}` : '');

/** Every file under a folder, with its size: a refused call must add or grow none. */
function filesUnder(dir: string): Record<string, number> {
  const found: Record<string, number> = {};
  const walk = (folder: string) => {
    let entries: string[];
    try {
      entries = readdirSync(folder);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else found[path] = stat.size;
    }
  };
  walk(dir);
  return found;
}

async function rowCounts() {
  const count = async (table: 'letter' | 'municipality_signal' | 'payment_reference') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { letter: await count('letter'), municipality_signal: await count('municipality_signal'), payment_reference: await count('payment_reference') };
}

function expectRefusal(answer: Awaited<ReturnType<typeof call>>, what: string) {
  expect(answer.status, what).toBe(401);
  expect(answer.body, what).toEqual({ error: { code: 'unauthorized', message: expect.any(String), details: [] } });
  for (const detail of [...personalData, letterId, caseId, '999', 'Bearer', services.letters.secret, services.bank.secret, services.municipality.secret]) {
    expect(answer.text, `${what} mentions ${detail}`).not.toContain(detail);
  }
}

describe('internal services without their credential', () => {
  it('answer GET /metrics without one, with counts only: no tenant, case, letter or secret in it', async () => {
    for (const service of serviceNames) {
      const answer = await call(service, 'GET', '/metrics');
      expect(answer.status, service).toBe(200);
      expect(answer.text, service).toContain('huurincasso_http_requests_total');
      for (const detail of [...personalData, letterId, caseId, services.letters.secret, services.bank.secret, services.municipality.secret]) {
        expect(answer.text, `${service} /metrics mentions ${detail}`).not.toContain(detail);
      }
    }
  });

  it('serve at least the routes that carry personal data or write to an outbox', () => {
    expect(servedRoutes('letters')).toEqual(
      expect.arrayContaining([
        { method: 'POST', path: '/letters' },
        { method: 'GET', path: '/letters' },
        { method: 'GET', path: '/letters/:letterId' },
      ]),
    );
    expect(servedRoutes('bank')).toEqual(expect.arrayContaining([{ method: 'POST', path: '/payment-references' }]));
    expect(servedRoutes('municipality')).toEqual(expect.arrayContaining([{ method: 'POST', path: '/signals' }]));
  });

  it('answer 401 on every route to no credential, a wrong one, another service\'s, or another scheme, and change nothing', async () => {
    const before = { files: filesUnder(services.outboxDir), rows: await rowCounts() };
    let walked = 0;
    for (const service of serviceNames) {
      const own = services[service].secret;
      const otherService = serviceNames.find((s) => s !== service)!;
      const attempts: { what: string; secret?: string; headers?: Record<string, string> }[] = [
        { what: 'no credential' },
        { what: 'a wrong secret', secret: `not-the-secret-${'y'.repeat(40)}` },
        { what: 'an empty bearer', headers: { authorization: 'Bearer ' } },
        { what: 'the secret in basic auth', headers: { authorization: `Basic ${Buffer.from(`svc:${own}`).toString('base64')}` } },
        { what: `the ${otherService} service's secret`, secret: services[otherService].secret },
        { what: 'the secret with a suffix', secret: `${own}x` },
        { what: 'a prefix of the secret', secret: own.slice(0, -1) },
      ];
      for (const route of servedRoutes(service)) {
        for (const attempt of attempts) {
          const answer = await call(service, route.method, concretePath(route.path), { secret: attempt.secret, headers: attempt.headers, body: validBody(service, route.method, route.path) });
          expectRefusal(answer, `${service} ${route.method} ${route.path} with ${attempt.what}`);
          walked++;
        }
      }
    }
    expect(walked).toBeGreaterThanOrEqual(5 * 7);
    expect(filesUnder(services.outboxDir)).toEqual(before.files);
    expect(await rowCounts()).toEqual(before.rows);
  });

  it('refuse the forged reminder and the forged eviction-date signal: nothing reaches the outbox folders', async () => {
    const before = { files: filesUnder(services.outboxDir), rows: await rowCounts() };
    expectRefusal(await call('letters', 'POST', '/letters', { body: letterRequest('forged-reminder') }), 'forged reminder');
    expectRefusal(await call('municipality', 'POST', '/signals', { body: signalRequest('forged-signal') }), 'forged signal');
    expect(filesUnder(join(services.outboxDir, 'letters'))).toEqual(Object.fromEntries(Object.entries(before.files).filter(([f]) => f.startsWith(join(services.outboxDir, 'letters')))));
    expect(filesUnder(join(services.outboxDir, 'municipality'))).toEqual({});
    expect(await rowCounts()).toEqual(before.rows);
    const forged = await database.db.selectFrom('letter').select('letter_id').where('idempotency_key', 'like', 'closed-forged%').execute();
    expect(forged).toEqual([]);
  });

  it('answer 401 before anything else: an unknown path, a malformed or oversized body say nothing about the routes', async () => {
    for (const service of serviceNames) {
      expectRefusal(await call(service, 'GET', '/no-such-route'), `${service} unknown route`);
      expectRefusal(await call(service, 'POST', '/letters', { body: '{"not json' }), `${service} malformed body`);
      expectRefusal(await call(service, 'POST', '/signals', { body: JSON.stringify({ padding: 'p'.repeat(2_000_000) }) }), `${service} oversized body`);
      expectRefusal(await call(service, 'DELETE', `/letters/${letterId}`), `${service} DELETE`);
    }
    // The letter read without a credential really exists: the 401 hides it.
    expectRefusal(await call('letters', 'GET', `/letters/${letterId}`), 'letter read');
    expectRefusal(await call('letters', 'GET', `/letters?caseId=${caseId}`), 'letter list');
  });

  it('keep /healthz open, saying only whether the service works', async () => {
    for (const service of serviceNames) {
      const answer = await call(service, 'GET', '/healthz');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ status: 'ok' });
    }
    // A service whose database is away answers 503 without the error (no host, port, user or driver text).
    const unreachable = createDatabase(`postgres://nobody:hunter2@127.0.0.1:${await freePort()}/nothing`);
    const server = await listen(createBankService({ db: unreachable, secret: 'z'.repeat(64) }), 0);
    try {
      const response = await fetch(`${server.url}/healthz`);
      const text = await response.text();
      expect(response.status).toBe(503);
      expect(JSON.parse(text)).toEqual({ error: { code: 'unavailable', message: expect.any(String), details: [] } });
      expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|nobody|hunter2|nothing|postgres|at /i);
    } finally {
      await server.close();
      await unreachable.destroy();
    }
  });
});

describe('internal services with their credential', () => {
  it('serve the normal flow: the letter, its list, a payment reference and a signal', async () => {
    const shown = await call('letters', 'GET', `/letters/${letterId}`, { secret: services.letters.secret });
    expect(shown.status).toBe(200);
    expect((shown.body as { body: string }).body).toContain(debtor.name);
    const listed = await call('letters', 'GET', `/letters?caseId=${caseId}`, { secret: services.letters.secret });
    expect(listed.status).toBe(200);
    expect((listed.body as { letters: { letterId: string }[] }).letters.map((l) => l.letterId)).toEqual([letterId]);
    const reference = await call('bank', 'POST', '/payment-references', { secret: services.bank.secret, body: { caseId } });
    expect(reference.status).toBe(201);
    const signal = await call('municipality', 'POST', '/signals', { secret: services.municipality.secret, body: signalRequest('genuine') });
    expect(signal.status).toBe(201);
    expect(filesUnder(join(services.outboxDir, 'municipality'))).not.toEqual({});
  });
});

/** Runs an entrypoint as `npm run bank` does, and returns its output until `waitFor` or its exit, with its exit code if it ended. */
function runProcess(entry: string, env: Record<string, string>, waitFor: RegExp) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, entry)], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HUURINCASSO_DATA_DIR: mkdtempSync(join(tmpdir(), 'huurincasso-closed-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise<{ output: string; exitCode: number | null; stop: () => Promise<void> }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ${waitFor} within 30 s: ${output}`));
    }, 30_000);
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    const seen = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (waitFor.test(output)) {
        clearTimeout(timer);
        resolve({ output, exitCode: null, stop });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ output, exitCode: code, stop });
    });
  });
}

/** An IPv4 address of this machine other than loopback, if it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && !a.internal && a.family === 'IPv4')?.address;

describe('a service process, and the worker that calls it', () => {
  it('refuses to start in production without its secret, in one line naming the variable', async () => {
    const run = await runProcess('services/bank/main.ts', { NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing', BANK_PORT: String(await freePort()) }, /$^/);
    expect(run.exitCode).toBe(2);
    const lines = run.output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('BANK_SERVICE_SECRET');
  });

  it('the worker refuses to start without the three secrets it presents, in one line naming them', async () => {
    const run = await runProcess('worker/main.ts', { NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing', BANK_SERVICE_SECRET: 'b'.repeat(40) }, /$^/);
    expect(run.exitCode).toBe(2);
    const lines = run.output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('LETTERS_SERVICE_SECRET, MUNICIPALITY_SERVICE_SECRET');
  });

  it('listens on loopback unless told otherwise, and answers its callers only with the secret', async () => {
    const port = await freePort();
    const secret = 's'.repeat(48);
    const run = await runProcess('services/bank/main.ts', 
      { NODE_ENV: 'production', DATABASE_URL: database.url, BANK_PORT: String(port), BANK_SERVICE_SECRET: secret },
      /listening on .*\n/,
    );
    try {
      expect(run.exitCode).toBeNull();
      expect(run.output).toContain(`bank service listening on http://127.0.0.1:${port}`);
      const without = await fetch(`http://127.0.0.1:${port}/payment-references`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ caseId }) });
      expect(without.status).toBe(401);
      const withSecret = await fetch(`http://127.0.0.1:${port}/payment-references`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...serviceCredentialHeaders(secret) },
        body: JSON.stringify({ caseId }),
      });
      expect(withSecret.status).toBeLessThan(300);
      // From this machine's own outside address (where it has one), nothing answers.
      if (outsideAddress) await expect(fetch(`http://${outsideAddress}:${port}/healthz`, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
    } finally {
      await run.stop();
    }
  });

  it('listens where SERVICE_BIND_HOST says (a container reached by its peers), still asking for the secret', async () => {
    const port = await freePort();
    const run = await runProcess('services/bank/main.ts', 
      { DATABASE_URL: database.url, BANK_PORT: String(port), BANK_SERVICE_SECRET: 't'.repeat(48), SERVICE_BIND_HOST: '0.0.0.0' },
      /listening on .*\n/,
    );
    try {
      expect(run.output).toContain(`bank service listening on http://0.0.0.0:${port}`);
      const via = outsideAddress ?? '127.0.0.1';
      expect((await fetch(`http://${via}:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://${via}:${port}/payment-references`, { method: 'POST' })).status).toBe(401);
    } finally {
      await run.stop();
    }
  });
});
