import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TrackClient } from '../../services/track-client/track-client.js';
import { BillingInbox } from '../../services/billing-inbox/billing-inbox.js';
import { openCases } from '../../services/case-intake/open-cases.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { caseRequest, ensureTestCorporation, rentClaim } from '../support/tracks.js';

/**
 * Issue 15: billing's bulk intake, `POST /v1/cases:batch`. Each item is taken exactly as
 * `POST /v1/cases` takes it (same idempotency, same refusals) and answered in its place; real
 * HTTP, Postgres and Temporal.
 */
let api: ApiHarness;
const today = amsterdamDate(Date.now());
const otherCorp = `batch-other-${process.pid}`;
const claim = (ref = 'R-1') => rentClaim(ref, '640.00', addDays(today, -20));
const batch = (cases: unknown[], key = api.keys.billing) => api.call('POST', '/v1/cases:batch', { key, body: { cases } });
const runIdOf = async (workflowId: string) => (await api.client.workflow.getHandle(workflowId).describe()).runId;
const workflowIdOf = async (caseId: string) =>
  (await api.database.db.selectFrom('collection_case').select('workflow_id').where('case_id', '=', caseId).executeTakeFirstOrThrow()).workflow_id;

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  await ensureTestCorporation(api.database.db, { corporationId: otherCorp });
});
afterAll(async () => {
  await api?.close();
  if (root) await rm(root, { recursive: true, force: true });
});
let root: string | undefined;

describe('POST /v1/cases:batch', () => {
  it('answers every item in its place: new contracts created, a bad item refused, a known one existing, a repeat with other details refused', async () => {
    const first = caseRequest({ claims: [claim('R-1'), claim('R-2')] });
    const second = caseRequest({ claims: [claim()] });
    const known = caseRequest({ claims: [claim()] });
    expect((await api.call('POST', '/v1/cases', { key: api.keys.billing, body: known })).status).toBe(201);
    const badPostalCode = caseRequest({ claims: [claim()] });
    const items = [
      first,
      { ...badPostalCode, debtor: { ...badPostalCode.debtor, address: { ...badPostalCode.debtor.address, postalCode: '0000' } } },
      second,
      { ...known, claims: [claim(), claim('R-2')] },
      { ...first, debtor: { ...first.debtor, name: 'Iemand Anders' } },
      'no case at all',
      { ...caseRequest({ claims: [claim()] }), corporationId: 'not-configured' },
    ];

    const answer = await batch(items);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const [a, bad, b, existing, differs, junk, foreign] = answer.body.items;
    expect(answer.body.counts).toEqual({ created: 2, existing: 1, rejected: 4 });
    expect(answer.body.items.map((item: { index: number }) => item.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(a).toMatchObject({ index: 0, status: 'created', caseId: expect.any(String) });
    expect(b).toMatchObject({ index: 2, status: 'created', caseId: expect.any(String) });
    expect(bad).toMatchObject({ index: 1, status: 'rejected', error: { code: 'invalid_request', details: [expect.objectContaining({ path: ['debtor', 'address', 'postalCode'] })] } });
    expect(bad.caseId).toBeUndefined();
    expect(existing).toMatchObject({ index: 3, status: 'existing' });
    // The repeat of item 0 in the same batch meets the debtor item 0 recorded, as a second single call would.
    expect(differs).toMatchObject({ index: 4, status: 'rejected', error: { code: 'debtor_differs', message: expect.stringContaining(a.caseId) } });
    expect(junk).toMatchObject({ index: 5, status: 'rejected', error: { code: 'invalid_request' } });
    // A corporation the key does not hold answers as one that does not exist.
    expect(foreign).toEqual({ index: 6, status: 'rejected', error: { code: 'not_found', message: 'no corporation not-configured', details: [] } });

    // The tracks run, with the claims as sent; the known contract gained its new claim.
    const status = await api.call('GET', `/v1/cases/${a.caseId}`, { key: api.keys.operator });
    expect(status.body.claims.map((c: { invoiceRef: string }) => c.invoiceRef).sort()).toEqual(['R-1', 'R-2']);
    const extended = await api.call('GET', `/v1/cases/${existing.caseId}`, { key: api.keys.operator });
    expect(extended.body.claims.map((c: { invoiceRef: string }) => c.invoiceRef).sort()).toEqual(['R-1', 'R-2']);
    expect(await api.database.db.selectFrom('collection_case').select('case_id').where('contract_ref', '=', badPostalCode.contractRef).execute()).toEqual([]);
    const debtor = await api.database.db.selectFrom('debtor').select(['name', 'version']).where('case_id', '=', a.caseId).executeTakeFirstOrThrow();
    expect(debtor).toEqual({ name: first.debtor.name, version: 1 });
  });

  it('is idempotent per item: the same batch again answers the same cases, existing, and starts no second track', async () => {
    const items = Array.from({ length: 12 }, () => caseRequest({ claims: [claim()] }));
    const once = await batch(items);
    expect(once.body.counts).toEqual({ created: 12, existing: 0, rejected: 0 });
    const runs = await Promise.all(once.body.items.map(async (item: { caseId: string }) => runIdOf(await workflowIdOf(item.caseId))));

    const again = await batch(items);
    expect(again.status).toBe(200);
    expect(again.body.counts).toEqual({ created: 0, existing: 12, rejected: 0 });
    expect(again.body.items.map((item: { caseId: string }) => item.caseId)).toEqual(once.body.items.map((item: { caseId: string }) => item.caseId));
    expect(await Promise.all(again.body.items.map(async (item: { caseId: string }) => runIdOf(await workflowIdOf(item.caseId))))).toEqual(runs);
    const stored = await api.database.db
      .selectFrom('claim')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('case_id', 'in', once.body.items.map((item: { caseId: string }) => item.caseId))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(12);
  });

  it('stores chunk after chunk, a contract repeated across them in its turn: the answers as one chunk would give them', async () => {
    const [p, q, r] = [caseRequest({ claims: [claim()] }), caseRequest({ claims: [claim()] }), caseRequest({ claims: [claim()] })];
    const items = [p, q, { ...p, claims: [claim(), claim('R-2')] }, r, { ...q, claims: [claim('R-1'), claim('R-1')] }, { ...r, claims: [claim('R-3')] }, p];
    const tracks = new TrackClient(api.client, api.taskQueue, async () => today);
    const answer = await openCases(api.database.db, tracks, items, { changedBy: 'test', chunkSize: 2, concurrency: 2 });
    expect(answer.items.map((item) => item.status)).toEqual(['created', 'created', 'existing', 'created', 'existing', 'existing', 'existing']);
    const caseIds = answer.items.map((item) => item.caseId);
    expect(new Set(caseIds).size).toBe(3);
    expect([caseIds[2], caseIds[6]]).toEqual([caseIds[0], caseIds[0]]);
    const claimsOf = async (caseId: string) =>
      (await api.database.db.selectFrom('claim').select('invoice_ref').where('case_id', '=', caseId).orderBy('invoice_ref').execute()).map((c) => c.invoice_ref);
    expect(await claimsOf(caseIds[0]!)).toEqual(['R-1', 'R-2']);
    expect(await claimsOf(caseIds[3]!)).toEqual(['R-1', 'R-3']);
  });

  it('takes NDJSON, one case per line, a line that is not JSON refused in its place', async () => {
    const [x, y] = [caseRequest({ claims: [claim()] }), caseRequest({ claims: [claim()] })];
    const body = `${JSON.stringify(x)}\n{"corporationId": "test-corp",\n\n${JSON.stringify(y)}\n`;
    const answer = await api.call('POST', '/v1/cases:batch', { key: api.keys.billing, body, contentType: 'application/x-ndjson' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.counts).toEqual({ created: 2, existing: 0, rejected: 1 });
    expect(answer.body.items[1]).toEqual({ index: 1, status: 'rejected', error: { code: 'invalid_request', message: 'line 2 of the NDJSON body is not JSON', details: [] } });
    expect(answer.body.items[2]).toMatchObject({ index: 2, status: 'created' });
  });

  it('refuses what is no batch as a whole, in the api.md shape: more than 5,000 cases, no cases, another body type, another role', async () => {
    const tooMany = await batch(Array.from({ length: 5_001 }, () => ({})));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('at most 5000 cases a batch'), details: [expect.objectContaining({ path: ['cases'] })] });
    expect((await batch([])).status).toBe(400);
    const huge = await api.call('POST', '/v1/cases:batch', { key: api.keys.billing, body: `{"cases": ["${'x'.repeat(21 * 1024 * 1024)}"]}` });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect((await api.call('POST', '/v1/cases:batch', { key: api.keys.billing, body: { case: [] } })).status).toBe(400);
    expect((await api.call('POST', '/v1/cases:batch', { key: api.keys.billing, body: 'cases', contentType: 'text/plain' })).body.error.code).toBe('unsupported_media_type');
    expect((await batch([caseRequest({ claims: [claim()] })], api.keys.operator)).status).toBe(403);
    // The batch's path is no case id: the routes under /v1/cases/:caseId answer as before.
    const unknownCase = await api.call('POST', '/v1/cases/batch/payments', { key: api.keys.billing, body: { transactionId: 'TX-1', amount: '1.00', bookedOn: today } });
    expect(unknownCase.status).toBe(400);
    expect((await api.call('POST', '/v1/cases:batches', { key: api.keys.billing, body: { cases: [] } })).status).toBe(404);
  });

  it("refuses the items of a corporation the key does not hold as of one that does not exist, and takes the key's own", async () => {
    const ofOther = caseRequest({ corporationId: otherCorp, claims: [claim()] });
    const own = caseRequest({ claims: [claim()] });
    const answer = await batch([ofOther, own, { ...ofOther, corporationId: 'no-such-corp' }]);
    expect(answer.body.counts).toEqual({ created: 1, existing: 0, rejected: 2 });
    expect(answer.body.items[0].error).toEqual({ code: 'not_found', message: `no corporation ${otherCorp}`, details: [] });
    expect(answer.body.items[2].error).toEqual({ code: 'not_found', message: 'no corporation no-such-corp', details: [] });
    expect(await api.database.db.selectFrom('collection_case').select('case_id').where('corporation_id', '=', otherCorp).execute()).toEqual([]);
    // Nothing taken: an error, each item's answer in its details, and nothing in the audit trail.
    const audited = async () => Number((await api.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'openCaseBatch').executeTakeFirstOrThrow()).n);
    const before = await audited();
    const none = await batch([ofOther, { ...ofOther, corporationId: 'no-such-corp' }]);
    expect(none.status).toBe(422);
    expect(none.body.error).toMatchObject({ code: 'no_case_taken', details: [{ index: 0, status: 'rejected', error: { code: 'not_found' } }, { index: 1, status: 'rejected', error: { code: 'not_found' } }] });
    expect(await audited()).toBe(before);
    // The document describes it at the path the client calls.
    const document = await api.call('GET', '/v1/openapi.json', { key: null });
    expect(document.body.paths['/v1/cases:batch'].post.operationId).toBe('openCaseBatch');
  });
});

describe("billing's drop folder", () => {
  let inbox: BillingInbox;
  const folder = () => join(root!, 'test-corp');
  const filesOf = async (sub: string) => (await readdir(join(folder(), sub)).catch(() => [])).sort();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'billing-inbox-'));
    await mkdir(folder());
    // Scanned by the test (scanOnce), not on a timer: no waiting on the clock.
    inbox = new BillingInbox({ db: api.database.db, tracks: new TrackClient(api.client, api.taskQueue, async () => today), root, quietMs: 0 });
  });

  it('takes a JSON array and an NDJSON file as a batch, each to processed/ with its answer per item; a repeat opens nothing twice', async () => {
    const [a, b, c] = [caseRequest({ claims: [claim()] }), caseRequest({ claims: [claim()] }), caseRequest({ claims: [claim()] })];
    await writeFile(join(folder(), 'export-1.json'), JSON.stringify([a, { ...b, claims: [] }, { ...c, corporationId: otherCorp }]));
    await writeFile(join(folder(), 'export-2.ndjson'), `${JSON.stringify(b)}\n${JSON.stringify(a)}\n`);
    const outcomes = await inbox.scanOnce();
    expect(outcomes.map((o) => [o.file, o.outcome])).toEqual([
      ['export-1.json', 'processed'],
      ['export-2.ndjson', 'processed'],
    ]);
    expect(await filesOf('processed')).toEqual(['export-1.json', 'export-1.json.result.json', 'export-2.ndjson', 'export-2.ndjson.result.json']);
    const first = JSON.parse(await readFile(join(folder(), 'processed', 'export-1.json.result.json'), 'utf8'));
    expect(first.counts).toEqual({ created: 1, existing: 0, rejected: 2 });
    expect(first.items[1]).toMatchObject({ index: 1, status: 'rejected', error: { code: 'invalid_request', details: [expect.objectContaining({ path: ['claims'] })] } });
    // The folder is the corporation: another's item is refused as the API refuses it to a key that does not hold it.
    expect(first.items[2]).toEqual({ index: 2, status: 'rejected', error: { code: 'not_found', message: `no corporation ${otherCorp}`, details: [] } });
    const second = JSON.parse(await readFile(join(folder(), 'processed', 'export-2.ndjson.result.json'), 'utf8'));
    expect(second.items).toEqual([
      { index: 0, status: 'created', caseId: expect.any(String) },
      { index: 1, status: 'existing', caseId: first.items[0].caseId },
    ]);
    const status = await api.call('GET', `/v1/cases/${second.items[0].caseId}`, { key: api.keys.operator });
    expect(status.body).toMatchObject({ stage: expect.any(String), claims: [expect.objectContaining({ invoiceRef: 'R-1' })] });

    // The same export dropped again: the same cases, existing, the name numbered beside the first.
    await writeFile(join(folder(), 'export-2.ndjson'), `${JSON.stringify(b)}\n${JSON.stringify(a)}\n`);
    const [again] = await inbox.scanOnce();
    expect(again).toMatchObject({ file: 'export-2.ndjson.2', outcome: 'processed', answer: { counts: { created: 0, existing: 2, rejected: 0 } } });
  });

  it('moves what is no batch, or a batch of which nothing was taken, to failed/ with the reason', async () => {
    await writeFile(join(folder(), 'broken.json'), '[{"corporationId": "test-corp",');
    await writeFile(join(folder(), 'nothing.ndjson'), `${JSON.stringify({ ...caseRequest({ claims: [claim()] }), corporationId: otherCorp })}\n`);
    await writeFile(join(folder(), 'latin1.ndjson'), Buffer.from([0x7b, 0xe9, 0x7d]));
    await writeFile(join(folder(), 'still-writing.json.part'), '[');
    const outcomes = await inbox.scanOnce();
    expect(outcomes.map((o) => [o.file, o.outcome]).sort()).toEqual([
      ['broken.json', 'failed'],
      ['latin1.ndjson', 'failed'],
      ['nothing.ndjson', 'failed'],
    ]);
    const reason = (name: string) => readFile(join(folder(), 'failed', `${name}.reason.txt`), 'utf8');
    expect(await reason('broken.json')).toMatch(/^400 invalid_request: the file starts as a JSON array but is not JSON/);
    expect(await reason('latin1.ndjson')).toMatch(/^400 invalid_request: the file is not UTF-8 text/);
    expect(await reason('nothing.ndjson')).toMatch(new RegExp(`^422 no_case_taken: none of the 1 cases was taken[\\s\\S]*no corporation ${otherCorp}`));
    expect(await readdir(folder())).toContain('still-writing.json.part');
  });
});
