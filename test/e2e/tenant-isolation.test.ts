import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { personActor, type KeyBinding, type Role } from '../../infra/db/api-key-store.js';
import type { RouteContract } from '../../services/api/requests/route-contract.js';
import { contractOfHandler } from '../../services/api/routes/mount-route.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { mountedRoutes } from '../support/mounted-routes.js';
import { simplePolicy } from '../support/policies.js';
import { camtXml } from '../support/camt-files.js';
import { seedDirectDebit } from '../support/direct-debit-seed.js';
import { caseRequest, ensureTestCorporation, rentClaim } from '../support/tracks.js';

/**
 * Issue 10, part A: two corporations on one installation cannot see or touch each other's
 * anything. The walk calls every route of the router (the list the OpenAPI route test reads, so a
 * route added later is walked too) with every key of corporation B against corporation A's case,
 * task, hold, policy, corporation, figures, keys and audit trail, and once more against ids that do
 * not exist. No call may succeed, and the two answers must be the same but for the id asked (both
 * 404): an answer that differs tells that the thing exists. Lists answer, without A's items.
 */

let api: ApiHarness;
const today = amsterdamDate(Date.now());
const corpA = `iso-a-${process.pid}`;
const corpB = `iso-b-${process.pid}`;
const roles = ['billing', 'operator', 'approver', 'admin', 'bailiff', 'mailhouse'] as const satisfies readonly Role[];
type Keys = Record<(typeof roles)[number], { key: string; keyId: string; person: string }>;
let keysA: Keys;
let keysB: Keys;

/** What corporation A holds, by the name of the path parameter or field that names it. */
interface Targets {
  readonly caseId: string;
  readonly taskId: string;
  readonly holdId: string;
  readonly letterId: string;
  readonly corporationId: string;
  readonly keyId: string;
  readonly transactionId: string;
  readonly version: string;
  readonly kind: string;
  readonly importId: string;
  readonly entryId: string;
  readonly creditorId: string;
  readonly occupancyId: string;
  readonly runId: string;
  readonly month: string;
}
let ofA: Targets;
let missing: Targets;
let caseOfB: string;
/** Every string that would give A's things away, were it in an answer to B. */
let secretsOfA: string[];

async function keysOf(corporationId: string, office: string): Promise<Keys> {
  const keys = {} as Keys;
  for (const role of roles) {
    const person = `${corporationId} ${role}`;
    const binding: KeyBinding =
      role === 'bailiff'
        ? { role, person, corporationIds: [], bailiffOfficeId: office }
        : { role, person, corporationIds: [corporationId], bailiffOfficeId: null };
    keys[role] = { ...(await api.makeKey(binding)), person };
  }
  return keys;
}

async function openCase(corporationId: string, key: string) {
  const request = caseRequest({ corporationId, claims: [rentClaim('R-1', '640.00', addDays(today, -20))] });
  const created = await api.call('POST', '/v1/cases', { key, body: request });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { caseId: created.body.caseId as string, contractRef: request.contractRef };
}

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  await ensureTestCorporation(api.database.db, { corporationId: corpA, bailiffOfficeId: 'gdw-a', policy: simplePolicy });
  await ensureTestCorporation(api.database.db, { corporationId: corpB, bailiffOfficeId: 'gdw-b', policy: simplePolicy });
  keysA = await keysOf(corpA, 'gdw-a');
  keysB = await keysOf(corpB, 'gdw-b');

  // A's case, handed to A's bailiff office; a task and a hold of A's (as the track and an operator make them).
  const caseA = await openCase(corpA, keysA.billing.key);
  await api.database.db.updateTable('collection_case').set({ bailiff_office_id: 'gdw-a', handed_over_on: today }).where('case_id', '=', caseA.caseId).execute();
  const taskId = `track-${corpA}/${caseA.contractRef}/call/1`;
  await api.database.db
    .insertInto('task')
    .values({ task_id: taskId, case_id: caseA.caseId, corporation_id: corpA, kind: 'call', opened_on: today, expires_on: addDays(today, 7), arrears: '640.00' })
    .execute();
  const holdId = `hold-a-${process.pid}`;
  await api.database.db.insertInto('hold').values({ hold_id: holdId, corporation_id: corpA, segment: null, visibility_query: null, reason: 'storing', from_date: today, created_by: 'test' }).execute();
  // A's audit trail has entries: the case was opened (above) and read.
  expect((await api.call('GET', `/v1/cases/${caseA.caseId}`, { key: keysA.operator.key })).status).toBe(200);

  // A bank file imported for A, with a line on A's worklist.
  const importId = randomUUID();
  const entryId = `be-${'a'.repeat(32)}`;
  await api.database.db
    .insertInto('bank_import')
    .values({ import_id: importId, corporation_id: corpA, format: 'camt.053.001.02', message_id: 'MSG-A', imported_by: 'test', counts: JSON.stringify({ entries: 1, new: 1, matched: 0, unmatched: 1, duplicates: 0, reversals: 0 }) })
    .execute();
  await api.database.db
    .insertInto('bank_entry')
    .values({ entry_id: entryId, entry_key: `key-a-${process.pid}`, corporation_id: corpA, first_import_id: importId, account_iban: 'NL91ABNA0417164300', booking_date: today, amount: '12.34', currency: 'EUR', direction: 'CRDT', reversal: false, counter_name: 'A. Huurder', fate: 'unmatched' })
    .execute();
  await api.database.db.insertInto('bank_import_entry').values({ import_id: importId, entry_id: entryId, duplicate: false }).execute();

  caseOfB = (await openCase(corpB, keysB.billing.key)).caseId;

  const letterId = randomUUID();
  await api.database.db
    .insertInto('letter')
    .values({ letter_id: letterId, idempotency_key: `walk-${letterId}`, case_id: caseA.caseId, kind: 'wik', channel: 'post', posted_on: today, delivered_on: null, template: 'wik@2', body: 'brief', facts: '{}', pdf: Buffer.from('%PDF-1.7 walk'), sha256: 'walk', pages: 1 })
    .execute();
  // A's collection service: a creditor, an occupancy and a run (issue 13).
  const directDebitOfA = await seedDirectDebit(api.database.db, corpA, `a-${process.pid}`);
  ofA = { caseId: caseA.caseId, taskId, holdId, letterId, corporationId: corpA, keyId: keysA.operator.keyId, transactionId: 'TX-A-1', version: '1', kind: 'dispute', importId, entryId, ...directDebitOfA, month: '2027-02' };
  missing = {
    caseId: randomUUID(),
    taskId: `track-no-such-corp/HC-0/call/1`,
    holdId: 'hold-no-such',
    letterId: randomUUID(),
    corporationId: 'no-such-corp',
    keyId: randomUUID(),
    transactionId: 'TX-A-1',
    version: '1',
    kind: 'dispute',
    importId: randomUUID(),
    entryId: `be-${'0'.repeat(32)}`,
    creditorId: 'cred-no-such',
    occupancyId: 'occ-no-such',
    runId: 'cred-no-such.2027-01.1',
    month: '2027-02',
  };
  secretsOfA = [corpA, caseA.caseId, caseA.contractRef, taskId, holdId, letterId, importId, entryId, directDebitOfA.creditorId, directDebitOfA.occupancyId, directDebitOfA.runId, 'W. Bewoner', 'A. Huurder', ...Object.values(keysA).flatMap((k) => [k.keyId, k.person, personActor(k.person)])];
});

afterAll(async () => {
  await api?.close();
});

// ---------------------------------------------------------------------------------------------
// The walk
// ---------------------------------------------------------------------------------------------

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Scopes that look a stored thing up: what the key does not hold answers 404, as what does not exist. */
const lookupScopes: readonly string[] = ['case', 'task', 'hold', 'letter', 'corporation-in-path', 'corporation-in-query', 'corporation-in-body', 'corporations-in-body', 'api-key', 'listing', 'bank-import', 'bank-entry', 'occupancy', 'creditor-in-query', 'direct-debit-run'];

interface RouteRequest {
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  /** A body that is not JSON (a bank file). */
  readonly contentType?: string;
}

/**
 * A valid request for each route that needs more than its path: a route with a body or a required
 * query that this table lacks fails the walk (add it here). Input that fails its schema would be
 * refused (400) before the scope is checked, and would prove nothing.
 */
function requestFor(route: string, t: Targets): RouteRequest | undefined {
  const table: Record<string, RouteRequest> = {
    'POST /v1/cases': { body: caseRequest({ corporationId: t.corporationId, claims: [rentClaim('R-9', '10.00', today)] }) },
    // Per item: A's item is refused in its place as one of a corporation that does not exist (422, nothing taken).
    'POST /v1/cases\\:batch': { body: { cases: [caseRequest({ corporationId: t.corporationId, contractRef: 'HC-walk', claims: [rentClaim('R-9', '10.00', today)] })] } },
    'PUT /v1/cases/:caseId/debtor': { body: caseRequest({ claims: [rentClaim('R-9', '10.00', today)] }).debtor },
    'POST /v1/cases/:caseId/payments': { body: { transactionId: 'TX-walk', amount: '1.00', bookedOn: today } },
    'POST /v1/cases/:caseId/segment': { body: { segment: 'slow_payer' } },
    'POST /v1/cases/:caseId/exceptions': { body: { kind: 'dispute' } },
    'POST /v1/cases/:caseId/proposals': { body: { decision: 'write_off' } },
    'POST /v1/cases/:caseId/approvals': { body: { decision: 'write_off', proposalId: 'proposal-walk' } },
    'POST /v1/cases/:caseId/arrangements': { body: { instalments: [{ dueDate: addDays(today, 7), amount: '320.00' }, { dueDate: addDays(today, 37), amount: '320.00' }] } },
    'POST /v1/cases/:caseId/payments/:transactionId/reversal': { body: { reversedOn: today, reasonCode: 'MD06' } },
    'POST /v1/bailiff/cases/:caseId/events': { body: { eventId: 'event-walk', type: 'summons_served', date: today } },
    'POST /v1/tasks/:taskId/outcome': { body: { outcome: 'reached' } },
    'POST /v1/holds': { body: { corporationId: t.corporationId, segment: 'unknown' } },
    'PUT /v1/corporations/:corporationId': { body: { name: 'Overgenomen' } },
    'PUT /v1/corporations/:corporationId/policy': { body: simplePolicy },
    'GET /v1/kpis': { query: { corporationId: t.corporationId, from: addDays(today, -30), to: today } },
    'GET /v1/calculations/collection-costs': { query: { principal: '640.00' } },
    'GET /v1/calculations/deadline': { query: { posted: today } },
    'GET /v1/calculations/statutory-interest': { query: { principal: '640.00', from: addDays(today, -30), to: today } },
    'POST /v1/simulation/advance': { body: { days: 1 } },
    'POST /v1/api-keys': { body: { role: 'operator', person: 'Indringer', corporationIds: [t.corporationId] } },
    'POST /v1/letters/:letterId/delivery': { body: { deliveredOn: today, trackingCode: '3SWALK000000001' } },
    'PUT /v1/cases/:caseId/consent': { body: { email: true, sms: true } },
    'POST /v1/bank/statements': { query: { corporationId: t.corporationId }, body: camtXml({ entries: [{ amount: '1.00', bookingDate: today, ref: 'WALK-1' }] }), contentType: 'application/xml' },
    'GET /v1/bank/unmatched': { query: { corporationId: t.corporationId } },
    'POST /v1/bank/unmatched/:entryId': { body: { action: 'not_ours' } },
    'POST /v1/cases/:caseId/payment-link': { body: { amount: '1.00' } },
    'PUT /v1/creditors/:creditorId': {
      body: { corporationId: t.corporationId, name: 'Overgenomen', creditorIdentifier: 'NL69ZZZ123456780000', iban: 'NL91ABNA0417164300', accountMode: 'provider_account', collectionDay: 1, limits: { maxPerDebit: '500.00', maxRunTotal: '1000.00', runsPerMonth: 2 } },
    },
    'PUT /v1/occupancies/:occupancyId': {
      body: {
        creditorId: t.creditorId,
        corporationId: t.corporationId,
        contractRef: 'HC-walk',
        unitRef: 'Unit 9',
        occupant: { name: 'Indringer', address: { street: 'Laan 9', postalCode: '1234 AB', city: 'Utrecht' } },
        movedInOn: '2026-10-01',
        mandate: { mandateId: 'MND-walk', signedOn: '2026-09-15', iban: 'NL02ABNA0123456789' },
        advance: { amount: '10.00', from: '2027-01' },
      },
    },
    'POST /v1/occupancies/:occupancyId/advance': { body: { amount: '10.00', from: '2027-06', requestedBy: 'client' } },
    'POST /v1/occupancies/:occupancyId/advances/:month': { body: { action: 'paid_otherwise', paidOn: today, reference: 'KAS-WALK-1' } },
    'GET /v1/direct-debit/runs': { query: { creditorId: t.creditorId } },
    'GET /v1/direct-debit/tasks': { query: { creditorId: t.creditorId } },
    // Public, signed instead of keyed: unsigned here, a 401 for A's payment and for none alike.
    'POST /v1/payment-provider/webhook': { body: { id: 'tr_0123456789abcdef' } },
    // The lists, filtered by the corporation: one the key does not hold answers as one that does not exist.
    'GET /v1/cases': { query: { corporationId: t.corporationId } },
    'GET /v1/tasks': { query: { corporationId: t.corporationId } },
    'GET /v1/holds': { query: { corporationId: t.corporationId } },
    'GET /v1/api-keys': { query: { corporationId: t.corporationId } },
    'GET /v1/audit': { query: { corporationId: t.corporationId } },
    // Temporal's codec protocol: a payload encrypted for the corporation (its tag is bound to the ciphertext).
    'POST /codec/decode': { body: { payloads: [{ metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('k1'), 'encryption-corporation': b64(t.corporationId) }, data: b64('ciphertext') }] } },
    'POST /codec/encode': { body: { payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('{}') }] } },
  };
  return table[route];
}

/** The lists again, without the corporation filter: they answer, with none of A's items. */
const unfilteredLists: Record<string, Record<string, string>[]> = {
  'GET /v1/cases': [{}],
  'GET /v1/tasks': [{}, { status: 'open', kind: 'call' }],
  'GET /v1/holds': [{}],
  'GET /v1/api-keys': [{}],
  'GET /v1/audit': [{}],
};
const auditOfCaseA = () => ({ caseId: ofA.caseId });

function pathOf(template: string, t: Targets): string {
  return template
    .replace(/(?<!\\):(\w+)/g, (_, name: string) => {
      if (!(name in t)) throw new Error(`the walk has no value for :${name} in ${template}: add it to Targets`);
      return encodeURIComponent(t[name as keyof Targets]);
    })
    .replace(/\\:/g, ':');
}

const withQuery = (path: string, query: Record<string, string> | undefined) => (query && Object.keys(query).length > 0 ? `${path}?${new URLSearchParams(query)}` : path);

/** The answer with the ids the request named put back to their names: what must not differ. */
function normalized(body: unknown, t: Targets): string {
  let text = JSON.stringify(body);
  const ids = Object.entries(t).filter(([name]) => !['version', 'kind', 'transactionId'].includes(name));
  for (const [name, value] of ids.sort((a, b) => b[1].length - a[1].length)) {
    text = text.split(value).join(`<${name}>`).split(encodeURIComponent(value)).join(`<${name}>`);
  }
  return text;
}

const allows = (contract: RouteContract, role: Role) => contract.access === 'any-key' || (Array.isArray(contract.access) && contract.access.includes(role));

describe('tenant isolation: corporation B against corporation A', () => {
  it("walks every route with each of B's keys: nothing of A's answers, and A's things answer as things that do not exist", async () => {
    const routes = mountedRoutes(api.app);
    const leaks: string[] = [];
    let calls = 0;
    let walkedRoutes = 0;
    for (const route of routes) {
      const contract = contractOfHandler(route.handler);
      expect(contract, `${route.key} has no contract`).toBeDefined();
      const key = `${route.method.toUpperCase()} ${route.path}`;
      const needsMore = contract!.body !== undefined ? !contract!.body.optional : contract!.query !== undefined && !contract!.query.safeParse({}).success;
      if (needsMore) expect(requestFor(key, ofA), `${key}: add a valid request for it to the walk`).toBeDefined();
      walkedRoutes += 1;

      for (const role of roles) {
        const answers = [];
        for (const t of [ofA, missing]) {
          const spec = requestFor(key, t) ?? {};
          const answer = await api.call(route.method.toUpperCase(), withQuery(pathOf(route.path, t), spec.query), { key: keysB[role].key, body: spec.body, ...(spec.contentType ? { contentType: spec.contentType } : {}) });
          calls += 1;
          answers.push({ status: answer.status, body: normalized(answer.body, t) });
        }
        const [exists, absent] = answers as [{ status: number; body: string }, { status: number; body: string }];
        const what = `${key} with B's ${role} key`;
        if (exists.status >= 500) leaks.push(`${what}: ${exists.status} ${exists.body}`);
        for (const secret of secretsOfA) if (exists.body.includes(secret)) leaks.push(`${what}: the answer names ${secret}`);
        if (contract!.scope === 'none') continue; // holds nothing of a corporation's (calculations, the document)
        if (exists.status !== absent.status || exists.body !== absent.body) leaks.push(`${what}: ${exists.status} ${exists.body} for A's, ${absent.status} ${absent.body} for none`);
        // A bailiff's lists are of its office's cases: filtered, never refused.
        const bailiffList = role === 'bailiff' && contract!.scope === 'listing';
        if (exists.status < 300 && !bailiffList) leaks.push(`${what}: ${exists.status} for A's`);
        if (allows(contract!, role) && !bailiffList && lookupScopes.includes(contract!.scope) && exists.status !== 404) leaks.push(`${what}: ${exists.status}, not 404 ${exists.body}`);
      }

      for (const query of key === 'GET /v1/audit' ? [...(unfilteredLists[key] ?? []), auditOfCaseA()] : (unfilteredLists[key] ?? [])) {
        for (const role of roles.filter((r) => allows(contract!, r))) {
          const answer = await api.call('GET', withQuery(route.path, query), { key: keysB[role].key });
          calls += 1;
          if (answer.status !== 200) leaks.push(`${key}?${new URLSearchParams(query)} with B's ${role} key: ${answer.status}`);
          for (const secret of secretsOfA) if (JSON.stringify(answer.body).includes(secret)) leaks.push(`${key}?${new URLSearchParams(query)} with B's ${role} key lists ${secret}`);
        }
      }
    }
    console.log(`tenant isolation walk: ${walkedRoutes} routes, ${roles.length} keys of corporation B, ${calls} calls; ${leaks.length} leaks`);
    expect(leaks).toEqual([]);
    expect(walkedRoutes).toBe(routes.length);
    expect(walkedRoutes).toBeGreaterThan(30);
  });

  it("does not walk against nothing: A's own keys reach what B's were refused, and B's lists show B's own", async () => {
    const { caseId, taskId, holdId } = ofA;
    expect((await api.call('GET', `/v1/cases/${caseId}`, { key: keysA.operator.key })).status).toBe(200);
    expect((await api.call('GET', `/v1/cases/${caseId}`, { key: keysA.bailiff.key })).status).toBe(200);
    expect((await api.call('GET', `/v1/holds/${holdId}`, { key: keysA.operator.key })).status).toBe(200);
    expect((await api.call('GET', `/v1/letters/${ofA.letterId}`, { key: keysA.operator.key })).body).toMatchObject({ letterId: ofA.letterId, caseId, sha256: 'walk' });
    expect((await api.call('GET', `/v1/corporations/${corpA}/policy/versions/1`, { key: keysA.approver.key })).status).toBe(200);
    expect((await api.call('GET', `/v1/kpis?corporationId=${corpA}&from=${addDays(today, -30)}&to=${today}`, { key: keysA.admin.key })).status).toBe(200);
    const worklist = await api.call('GET', '/v1/tasks', { key: keysA.operator.key });
    expect(worklist.body.tasks.map((task: { taskId: string }) => task.taskId)).toContain(taskId);
    const listedA = await api.call('GET', '/v1/api-keys', { key: keysA.admin.key });
    expect(listedA.body.keys.map((k: { keyId: string }) => k.keyId)).toContain(keysA.operator.keyId);

    const casesOfB = await api.call('GET', '/v1/cases', { key: keysB.operator.key });
    expect(casesOfB.body.cases.map((c: { caseId: string }) => c.caseId)).toEqual([caseOfB]);
    const platform = await api.call('GET', '/v1/cases', { key: api.keys.admin });
    expect(platform.body.cases.map((c: { caseId: string }) => c.caseId)).toEqual(expect.arrayContaining([caseId, caseOfB]));
  });

  it("answers a bailiff key 404 for a case not handed to its office, as for a case that does not exist", async () => {
    const notHanded = (await openCase(corpA, keysA.billing.key)).caseId;
    for (const caseId of [notHanded, ofA.caseId, randomUUID()]) {
      const key = caseId === ofA.caseId ? keysB.bailiff.key : keysA.bailiff.key;
      const read = await api.call('GET', `/v1/cases/${caseId}`, { key });
      expect(read).toEqual({ status: 404, body: { error: { code: 'not_found', message: `no case ${caseId}`, details: [] } } });
      const event = await api.call('POST', `/v1/bailiff/cases/${caseId}/events`, { key, body: { eventId: 'ev-1', type: 'summons_served', date: today } });
      expect(event).toEqual({ status: 404, body: { error: { code: 'not_found', message: `no case ${caseId}`, details: [] } } });
    }
  });
});

describe('four-eyes between people', () => {
  it('refuses an approval by the person who proposed, whichever key they use (409 same_person), and takes another person’s', async () => {
    const { caseId } = await openCase(corpA, keysA.billing.key);
    const janOperator = await api.makeKey({ role: 'operator', person: 'Jan Jansen', corporationIds: [corpA], bailiffOfficeId: null });
    // The same person, written a little differently, through a key of another role.
    const janApprover = await api.makeKey({ role: 'approver', person: ' jan  JANSEN', corporationIds: [corpA], bailiffOfficeId: null });
    const proposal = await api.call('POST', `/v1/cases/${caseId}/proposals`, { key: janOperator.key, body: { decision: 'write_off' } });
    expect(proposal.status).toBe(201);
    expect(proposal.body.proposedBy).toBe(personActor('Jan Jansen'));
    // No name in the track: the pseudonym only.
    expect(proposal.body.proposedBy).not.toMatch(/jan/i);

    const same = await api.call('POST', `/v1/cases/${caseId}/approvals`, { key: janApprover.key, body: { decision: 'write_off', proposalId: proposal.body.proposalId } });
    expect(same.status).toBe(409);
    expect(same.body.error.code).toBe('same_person');

    const other = await api.call('POST', `/v1/cases/${caseId}/approvals`, { key: keysA.approver.key, body: { decision: 'write_off', proposalId: proposal.body.proposalId } });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ status: 'approved', approvedBy: personActor(keysA.approver.person), proposedBy: personActor('Jan Jansen') });
  });
});

describe('API keys bound to people and corporations', () => {
  it('makes a key (the secret once), lists keys without secrets, and revokes one at once', async () => {
    const made = await api.call('POST', '/v1/api-keys', { key: keysA.admin.key, body: { role: 'operator', person: 'Piet Pieters', corporationIds: [corpA] } });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ keyId: expect.any(String), key: expect.stringMatching(/^hi_operator_/) });
    const { keyId, key } = made.body as { keyId: string; key: string };
    expect((await api.call('GET', `/v1/cases/${ofA.caseId}`, { key })).status).toBe(200);

    const listed = await api.call('GET', `/v1/api-keys?corporationId=${corpA}`, { key: keysA.admin.key });
    expect(listed.status).toBe(200);
    expect(listed.body.keys).toContainEqual(
      expect.objectContaining({ keyId, role: 'operator', person: 'Piet Pieters', actor: personActor('Piet Pieters'), corporationIds: [corpA], bailiffOfficeId: null, revokedAt: null }),
    );
    const listedText = JSON.stringify((await api.call('GET', '/v1/api-keys', { key: api.keys.admin })).body);
    expect(listedText).toContain(keyId);
    for (const secret of [key, ...Object.values(api.keys)]) expect(listedText).not.toContain(secret);
    expect(listedText).not.toMatch(/hash/i);

    // Another corporation's admin neither sees nor revokes it.
    const seenByB = await api.call('GET', '/v1/api-keys', { key: keysB.admin.key });
    expect(seenByB.body.keys.map((k: { keyId: string }) => k.keyId)).not.toContain(keyId);
    expect(seenByB.body.keys.every((k: { corporationIds: string[] }) => k.corporationIds.length > 0 && k.corporationIds.every((id) => id === corpB))).toBe(true);
    expect((await api.call('DELETE', `/v1/api-keys/${keyId}`, { key: keysB.admin.key })).status).toBe(404);

    const revoked = await api.call('DELETE', `/v1/api-keys/${keyId}`, { key: keysA.admin.key });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ keyId, revokedAt: expect.any(String) });
    const refused = await api.call('GET', `/v1/cases/${ofA.caseId}`, { key });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
    // A repeat answers the same; the key stays listed, revoked, for the audit trail.
    expect((await api.call('DELETE', `/v1/api-keys/${keyId}`, { key: keysA.admin.key })).body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it("lets a corporation's admin make keys for its own corporations only", async () => {
    const make = (key: string, body: object) => api.call('POST', '/v1/api-keys', { key, body });
    // A platform key, or a bailiff office's key, is the platform admin's to make (403, the role's limit).
    expect((await make(keysA.admin.key, { role: 'admin', person: 'Nieuwe beheerder', corporationIds: [] })).status).toBe(403);
    expect((await make(keysA.admin.key, { role: 'bailiff', person: 'GDW A portal', bailiffOfficeId: 'gdw-a' })).status).toBe(403);
    // Another corporation, as one that does not exist: 404.
    const foreign = await make(keysA.admin.key, { role: 'operator', person: 'Indringer', corporationIds: [corpA, corpB] });
    expect(foreign).toEqual({ status: 404, body: { error: { code: 'not_found', message: `no corporation ${corpB}`, details: [] } } });
    expect((await make(keysA.operator.key, { role: 'operator', person: 'Indringer', corporationIds: [corpA] })).status).toBe(403);
    // A non-admin key without a corporation would see nothing: refused as input.
    expect((await make(keysA.admin.key, { role: 'billing', person: 'Facturatie', corporationIds: [] })).status).toBe(400);

    // The platform admin makes them; an unknown corporation or office is a 422.
    const platform = await make(api.keys.admin, { role: 'admin', person: 'Tweede platformbeheerder', corporationIds: [] });
    expect(platform.status).toBe(201);
    expect((await api.call('GET', `/v1/cases/${caseOfB}`, { key: platform.body.key })).status).toBe(200);
    expect((await make(api.keys.admin, { role: 'operator', person: 'X', corporationIds: ['nowhere'] })).body.error.code).toBe('unknown_corporation');
    expect((await make(api.keys.admin, { role: 'bailiff', person: 'X', bailiffOfficeId: 'nowhere' })).body.error.code).toBe('unknown_bailiff_office');
    const bailiff = await make(api.keys.admin, { role: 'bailiff', person: 'GDW A portal', bailiffOfficeId: 'gdw-a' });
    expect(bailiff.status).toBe(201);
    expect((await api.call('GET', `/v1/cases/${ofA.caseId}`, { key: bailiff.body.key })).status).toBe(200);
  });
});

describe('the audit trail', () => {
  it("records every decision and every read of personal data with the person and the key, for that corporation's admin", async () => {
    const { caseId } = await openCase(corpA, keysA.billing.key);
    expect((await api.call('POST', `/v1/cases/${caseId}/segment`, { key: keysA.operator.key, body: { segment: 'slow_payer' } })).status).toBe(200);
    expect((await api.call('GET', `/v1/cases/${caseId}`, { key: keysA.approver.key })).status).toBe(200);
    // A refused call is no decision: nothing is written for it.
    expect((await api.call('POST', `/v1/cases/${caseId}/approvals`, { key: keysA.approver.key, body: { decision: 'handover', proposalId: 'none' } })).status).toBe(404);

    const trail = await api.call('GET', `/v1/audit?corporationId=${corpA}&caseId=${caseId}`, { key: keysA.admin.key });
    expect(trail.status).toBe(200);
    const entries = trail.body.entries as Record<string, unknown>[];
    expect(entries.map((e) => e.action)).toEqual(['caseStatus', 'confirmSegment', 'openCase']);
    expect(entries[0]).toMatchObject({ kind: 'personal-data-read', person: keysA.approver.person, keyId: keysA.approver.keyId, corporationId: corpA, caseId, at: expect.any(String) });
    expect(entries[1]).toMatchObject({
      kind: 'decision',
      person: keysA.operator.person,
      keyId: keysA.operator.keyId,
      actor: personActor(keysA.operator.person),
      corporationId: corpA,
      caseId,
      detail: { status: 200, params: { caseId } },
    });
    expect(entries[2]).toMatchObject({ kind: 'decision', person: keysA.billing.person, caseId });
    // No personal data of the tenant in the trail.
    expect(JSON.stringify(entries)).not.toContain('Testhuurder');

    // A page at a time, newest first.
    const first = await api.call('GET', `/v1/audit?corporationId=${corpA}&caseId=${caseId}&limit=2`, { key: keysA.admin.key });
    const second = await api.call('GET', `/v1/audit?corporationId=${corpA}&caseId=${caseId}&limit=2&cursor=${first.body.nextCursor}`, { key: keysA.admin.key });
    expect([...first.body.entries, ...second.body.entries]).toEqual(entries);
    expect(second.body.nextCursor).toBeNull();

    // The worklist with contact details is a read of personal data too, naming the cases shown.
    const worklist = await api.call('GET', `/v1/tasks?corporationId=${corpA}`, { key: keysA.operator.key });
    expect(worklist.body.tasks.length).toBeGreaterThan(0);
    const latest = (await api.call('GET', `/v1/audit?corporationId=${corpA}&limit=1`, { key: keysA.admin.key })).body.entries[0];
    expect(latest).toMatchObject({ action: 'worklist', kind: 'personal-data-read', person: keysA.operator.person, detail: { caseIds: [ofA.caseId] } });

    // Another corporation's admin: 404 for A's trail, and A's entries are not in its own.
    expect((await api.call('GET', `/v1/audit?corporationId=${corpA}`, { key: keysB.admin.key })).status).toBe(404);
    expect(JSON.stringify((await api.call('GET', `/v1/audit?caseId=${caseId}`, { key: keysB.admin.key })).body)).not.toContain(caseId);
    // Key management is in the trail as well; a platform key's entry is the platform admin's.
    const made = await api.call('POST', '/v1/api-keys', { key: api.keys.admin, body: { role: 'admin', person: 'Derde platformbeheerder', corporationIds: [] } });
    const platformTrail = await api.call('GET', '/v1/audit?limit=5', { key: api.keys.admin });
    expect(platformTrail.body.entries[0]).toMatchObject({ action: 'createApiKey', kind: 'decision', corporationId: null, detail: { keyId: made.body.keyId, role: 'admin' } });
    expect(JSON.stringify(platformTrail.body)).not.toContain(made.body.key);
    expect(JSON.stringify((await api.call('GET', '/v1/audit', { key: keysA.admin.key })).body)).not.toContain(made.body.keyId);
  });
});
