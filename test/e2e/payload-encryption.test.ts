import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { temporal } from '@temporalio/proto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { locateTemporalBinary, temporalCli } from '../../infra/temporal/binaries.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import type { Connection } from '@temporalio/client';
import type { RequestHandler } from 'express';
import { createApiApp } from '../../services/api/api-app.js';
import type { Caller, KeyAccess } from '../../services/api/auth.js';
import { HttpError } from '../../services/http/errors.js';
import { listen } from '../../services/http/serve.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { eventually } from '../support/eventually.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

/**
 * Issue 10, encrypted payloads: after a track has run (opened, reminded, paid in part, an
 * arrangement proposed and refused, read), the server's raw history holds none of the debtor's details
 * and no amount in plain; every payload in it is encrypted and names its corporation. The codec
 * endpoint (Temporal's remote codec protocol) decrypts for an operator of that corporation only.
 */

let api: ApiHarness;
const today = amsterdamDate(Date.now());
const debtor = {
  name: 'Jansje Geheimhuurder',
  address: { street: 'Verborgenlaan 77', postalCode: '9999 ZZ', city: 'Zwijgdorp' },
  email: 'geheim.huurder@example.org',
  phone: '06-98765432',
  iban: 'NL91ABNA0417164300',
  bsn: '123456782',
};
const personalData = [debtor.name, 'Geheimhuurder', debtor.address.street, 'Verborgenlaan', debtor.address.postalCode, debtor.address.city, debtor.email, debtor.phone, debtor.iban, debtor.bsn];
const amounts = ['812.50', '12.34', '800.16', '400.00'];
let workflowId: string;
let caseId: string;

interface JsonPayload {
  metadata: Record<string, string>;
  data?: string;
}

/** The track's history as the server stores it: not decoded by any client. */
async function rawHistory() {
  return api.client.workflow.getHandle(workflowId).fetchHistory();
}

/** Every payload in a history (or its proto3 JSON) with where it is, but those of search attributes, which stay plain by design. */
function payloadsOf(history: temporal.api.history.v1.IHistory | string) {
  const found: { path: string; payload: JsonPayload }[] = [];
  const walk = (value: unknown, path: string) => {
    if (path.endsWith('searchAttributes') || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((item, i) => walk(item, `${path}.${i}`));
    const record = value as Record<string, unknown>;
    if (record.metadata && typeof record.metadata === 'object' && 'encoding' in (record.metadata as object)) found.push({ path, payload: record as unknown as JsonPayload });
    else for (const [k, v] of Object.entries(record)) walk(v, `${path}.${k}`);
  };
  walk(JSON.parse(typeof history === 'string' ? history : historyToJSON(history as temporal.api.history.v1.History)), '');
  return found;
}
const partition = <T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] => [items.filter(test), items.filter((item) => !test(item))];
const text = (base64: string | undefined) => Buffer.from(base64 ?? '', 'base64').toString('utf8');
const b64 = (value: string) => Buffer.from(value).toString('base64');
const plainPayload = (value: unknown): JsonPayload => ({ metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(value)) });

async function codec(operation: 'decode' | 'encode', payloads: JsonPayload[], key: string | null, headers: Record<string, string> = {}) {
  const response = await fetch(`${api.baseUrl}/codec/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify({ payloads }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  const request = caseRequest({ claims: [rentClaim('R-SECRET-1', '812.50', addDays(today, -20))] });
  const opened = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: { ...request, debtor } });
  expect(opened.status).toBe(201);
  ({ caseId, workflowId } = opened.body);
  await eventually(() => api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator }), (r) => r.body.letters?.length > 0);
  const paid = await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: { transactionId: `TX-${caseId}`, amount: '12.34', bookedOn: today } });
  expect(paid.body).toMatchObject({ outstanding: expect.any(String) });
  // An arrangement the track refuses: the refusal's message travels through the failure converter.
  const refused = await api.call('POST', `/v1/cases/${caseId}/arrangements`, {
    key: api.keys.operator,
    body: { instalments: [{ dueDate: addDays(today, 7), amount: '400.00' }] },
  });
  expect(refused.status).toBeGreaterThanOrEqual(400);
  // The client decrypts what it reads: the API still answers with the amounts.
  const status = await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator });
  expect(status.body.balance).toMatchObject({ principal: '812.50', paid: '12.34' });
});
afterAll(async () => {
  await api?.close();
});

describe("the engine's history (issue 10: encrypted payloads)", () => {
  it('holds no name, address, e-mail, phone, IBAN, BSN nor any amount in plain, and every payload encrypted for its corporation', async () => {
    const history = await rawHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    const json = historyToJSON(history as temporal.api.history.v1.History);
    for (const secret of [...personalData, ...amounts]) {
      expect(bytes, secret).not.toContain(secret);
      expect(json, secret).not.toContain(secret);
    }
    const payloads = payloadsOf(history);
    const [sdkMarkers, ours] = partition(payloads, ({ path }) => /^\.events\.\d+\.markerRecordedEventAttributes\.details\.(patch-data|data)\./.test(path));
    // Temporal Core writes its own markers' bookkeeping (a patch's id; a local activity's sequence
    // number, type and times) past every codec: SDK data, nothing of a case.
    const coreKeys = ['id', 'deprecated', 'seq', 'attempt', 'activity_id', 'activity_type', 'complete_time', 'backoff', 'original_schedule_time'];
    for (const { path, payload } of sdkMarkers) for (const key of Object.keys(JSON.parse(text(payload.data)))) expect(coreKeys, path).toContain(key);
    expect(ours.length).toBeGreaterThan(10);
    for (const { path, payload } of ours) {
      expect(text(payload.metadata.encoding), path).toBe('binary/encrypted');
      expect(text(payload.metadata['encryption-key-id'])).toBe('test-1');
      expect(text(payload.metadata['encryption-corporation'])).toBe('test-corp');
    }
    // What stays plain holds ids, stages and cents: the search attributes, by design.
    expect(json).toContain('CorporationId');
  });

  it('is read by the worker and the client through the codec: the track still answers with its amounts', async () => {
    const status = await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator });
    expect(status.status).toBe(200);
    expect(status.body.claims[0]).toMatchObject({ invoiceRef: 'R-SECRET-1', amount: '812.50' });
  });
});

describe('the codec endpoint for the Temporal UI (POST /codec/decode, /codec/encode)', () => {
  /** The track's input as the server holds it (encrypted), in the proto3 JSON the UI sends. */
  const trackInput = async (): Promise<JsonPayload[]> => payloadsOf(await rawHistory()).filter(({ path }) => path.startsWith('.events.0.workflowExecutionStartedEventAttributes.input.')).map(({ payload }) => payload);

  it('refuses a caller without a key (401) and a role that may not read history (403)', async () => {
    const payloads = await trackInput();
    const anonymous = await codec('decode', payloads, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String), details: [] } });
    expect((await codec('decode', payloads, 'hi_operator_nonsense')).status).toBe(401);
    for (const key of [api.keys.billing, api.keys.bailiff]) {
      const refused = await codec('decode', payloads, key);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
  });

  it("decrypts for an operator of the track's corporation and a platform admin, and refuses one of another corporation", async () => {
    const payloads = await trackInput();
    for (const key of [api.keys.operator, api.keys.approver, api.keys.admin]) {
      const decoded = await codec('decode', payloads, key);
      expect(decoded.status).toBe(200);
      expect(text(decoded.body.payloads[0].metadata.encoding)).toBe('json/plain');
      expect(JSON.parse(text(decoded.body.payloads[0].data))).toMatchObject({ corporationId: 'test-corp' });
    }
    const foreign = await api.makeKey({ role: 'operator', person: 'operator elsewhere', corporationIds: ['other-corp'], bailiffOfficeId: null });
    const refused = await codec('decode', payloads, foreign.key);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', details: [] });
    expect(JSON.stringify(refused.body)).not.toContain('812.50');
    // A corporation's own admin reads its own tracks; a key of no corporation that is no platform admin holds none.
    const ownAdmin = await api.makeKey({ role: 'admin', person: 'admin of test-corp', corporationIds: ['test-corp'], bailiffOfficeId: null });
    expect((await codec('decode', payloads, ownAdmin.key)).status).toBe(200);
    const unbound = await api.makeKey({ role: 'operator', person: 'operator of nothing', corporationIds: [], bailiffOfficeId: null });
    expect((await codec('decode', payloads, unbound.key)).status).toBe(403);
  });

  it('writes each decryption to the audit trail, for the corporation whose payloads were read', async () => {
    await codec('decode', await trackInput(), api.keys.operator);
    const rows = await api.database.db.selectFrom('audit_log').select(['kind', 'action', 'corporation_id']).where('action', '=', 'decodePayloads').execute();
    expect(rows).toEqual(expect.arrayContaining([{ kind: 'personal-data-read', action: 'decodePayloads', corporation_id: 'test-corp' }]));
  });

  it('passes plain payloads through, answers 422 for an altered one, and encodes for a platform admin only', async () => {
    const plain = plainPayload({ note: 'plain' });
    expect((await codec('decode', [plain], api.keys.operator)).body).toEqual({ payloads: [plain] });

    const [encrypted] = await trackInput();
    const bytes = Buffer.from(encrypted!.data!, 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    const altered = await codec('decode', [{ ...encrypted!, data: bytes.toString('base64') }], api.keys.operator);
    expect(altered.status).toBe(422);
    expect(altered.body.error.code).toBe('undecryptable');

    expect((await codec('encode', [plain], api.keys.operator)).status).toBe(403);
    const ownAdmin = await api.makeKey({ role: 'admin', person: 'second admin of test-corp', corporationIds: ['test-corp'], bailiffOfficeId: null });
    expect((await codec('encode', [plain], ownAdmin.key)).status).toBe(403);
    const encoded = await codec('encode', [plain], api.keys.admin);
    expect(encoded.status).toBe(200);
    expect(text(encoded.body.payloads[0].metadata.encoding)).toBe('binary/encrypted');
    expect(encoded.body.payloads[0].metadata['encryption-corporation']).toBeUndefined();
    // Encoded by hand for no corporation: only a key that holds them all reads it back.
    expect((await codec('decode', encoded.body.payloads, api.keys.operator)).status).toBe(403);
    expect((await codec('decode', encoded.body.payloads, api.keys.admin)).body).toEqual({ payloads: [plain] });
  });

  it("accepts the operations page's session through its hook, for a request without an Authorization header", async () => {
    const { keyId } = await api.makeKey({ role: 'operator', person: 'operator with a session', corporationIds: ['test-corp'], bailiffOfficeId: null });
    // A stand-in for the session: the cookie names a signed-in operator of test-corp.
    const session: RequestHandler = (req, res, next) => {
      if (req.header('cookie') !== 'session=signed-in') throw new HttpError(401, 'unauthorized', 'not signed in');
      const caller: Caller = { role: 'operator', keyId, person: 'operator with a session', actor: 'person:session', keyLabel: 'session', corporationIds: ['test-corp'], bailiffOfficeId: null };
      res.locals.caller = caller;
      res.locals.keyAccess = { caller, db: api.database.db } satisfies KeyAccess;
      next();
    };
    const withSession = await listen(
      createApiApp({ db: api.database.db, connection: api.client.connection as Connection, client: api.client, taskQueue: 'codec-session', simulation: false, serviceUrls: { letters: '', bank: '', municipality: '' }, codecSession: session }),
      0,
    );
    try {
      const decode = (headers: Record<string, string>) =>
        fetch(`${withSession.url}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ payloads: [] }) }).then((r) => r.status);
      expect(await decode({ cookie: 'session=signed-in' })).toBe(200);
      expect(await decode({})).toBe(401);
      // A key, when sent, is what counts.
      expect(await decode({ cookie: 'session=signed-in', authorization: `Bearer ${api.keys.billing}` })).toBe(403);
    } finally {
      await withSession.close();
    }
  });

  it("answers the Temporal UI's CORS preflight for its origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${api.baseUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
      });
    const ui = await preflight('http://localhost:8233');
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(ui.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ui.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const elsewhere = await preflight('https://evil.example');
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    // The answer to the UI's own request carries the header too, a refusal included, so the UI can show it.
    const refused = await codec('decode', await trackInput(), null, { origin: 'http://localhost:8233' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
  });

  it('serves the Temporal CLI: `temporal workflow show --codec-endpoint … --codec-auth` shows the history decrypted', async () => {
    const binary = locateTemporalBinary(temporalCli);
    expect(binary).toBeTruthy();
    const { stdout } = await promisify(execFile)(
      binary!,
      ['workflow', 'show', '--address', inject('temporalDevAddress'), '-w', workflowId, '--output', 'json', '--codec-endpoint', `${api.baseUrl}/codec`, '--codec-auth', `Bearer ${api.keys.operator}`],
      { maxBuffer: 20_000_000 },
    );
    // The JSON output keeps payloads as proto3 JSON (base64): read them as the UI would show them.
    const decrypted = payloadsOf(stdout).filter(({ path }) => !/markerRecorded/.test(path));
    expect(decrypted.length).toBeGreaterThan(10);
    for (const { path, payload } of decrypted) expect(text(payload.metadata.encoding), path).not.toBe('binary/encrypted');
    const input = decrypted.find(({ path }) => path.startsWith('.events.0.workflowExecutionStartedEventAttributes.input.'));
    expect(JSON.parse(text(input!.payload.data))).toMatchObject({ corporationId: 'test-corp' });
    expect(decrypted.map(({ payload }) => text(payload.data)).join('\n')).toContain('812.50');
  });
});
