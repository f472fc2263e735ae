import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { startApi, type ApiHarness, type ApiKeys } from '../support/api-harness.js';
import { policyWith, simplePolicy } from '../support/policies.js';
import { caseRequest, ensureTestCorporation, rentClaim } from '../support/tracks.js';
import { eventually } from '../support/eventually.js';
import { seedDirectDebit } from '../support/direct-debit-seed.js';

/**
 * Issue 8, defect 6 and its "done when": generated bad input over every POST, PUT and DELETE
 * route of the API answers a 4xx in the api.md error shape, never a 5xx, and leaves the database
 * and the running track exactly as they were.
 *
 * Each generated request is a valid request for a seeded case with one thing spoiled: a NUL, a
 * lone surrogate or a control character put into a value, a value of the wrong type, a huge
 * string, a date out of range (or beyond the horizon its meaning allows), a required field left
 * out, a path segment such as `%00`, a query parameter gone wrong or a body that is no object.
 * So every request here must be refused; one that is accepted is a hole in the validation.
 */

let api: ApiHarness;
const today = amsterdamDate(Date.now());
/** A corporation of this file's own, so the visibility count sees only the tracks made here. */
const corporationId = `fuzz-${process.pid}`;
/** FUZZ_SEED explores other inputs; a failure prints the seed and path that reproduce it. */
const baseSeed = Number(process.env.FUZZ_SEED ?? 8_006);
/** Runs per route: 60 × 31 routes ≈ 1,900 requests. `npm run drill bad-input` sends 10,000 more, generated from the OpenAPI document. */
const runsPerRoute = Number(process.env.FUZZ_RUNS_PER_ROUTE ?? 60);

interface Seeded {
  readonly caseId: string;
  readonly workflowId: string;
  readonly request: ReturnType<typeof caseRequest>;
  readonly taskId: string;
  readonly transactionId: string;
  /** A key for DELETE /v1/api-keys/:keyId to refuse input for. */
  readonly keyId: string;
  /** A registered letter of the case, for its delivery report. */
  readonly letterId: string;
}
let seeded: Seeded;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A valid request for the seeded case, and what the route takes without or as null. */
interface RouteSpec {
  readonly role: keyof ApiKeys;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: Json;
  /** Body fields the route accepts without ('a.b'; '*' for any array index). */
  readonly optional?: readonly string[];
  /** Body fields that may be null. */
  readonly nullable?: readonly string[];
  /** Free-text fields, which may keep line breaks and tabs. */
  readonly notes?: readonly string[];
  /** Date fields checked against today: how many days after today they may lie at most. */
  readonly horizons?: Readonly<Record<string, number>>;
}

/**
 * Every POST, PUT and DELETE route of the API, keyed as express names it. A route the app has and
 * this table lacks fails the coverage test: add its valid request here.
 */
function routeSpecs(): Record<string, RouteSpec> {
  const { caseId, request, taskId, transactionId, keyId, letterId } = seeded;
  const policy = JSON.parse(JSON.stringify(simplePolicy)) as Json;
  return {
    'POST /v1/cases': {
      role: 'billing',
      body: request as unknown as Json,
      optional: ['segment', 'tenantDeparted', 'municipalityCode', 'debtor.email', 'debtor.phone', 'debtor.iban', 'debtor.bsn'],
    },
    // Per item: a spoiled item is refused in its place, and a batch that took nothing answers 422.
    'POST /v1/cases\\:batch': {
      role: 'billing',
      body: { cases: [request as unknown as Json] },
      optional: ['segment', 'tenantDeparted', 'municipalityCode', 'debtor.email', 'debtor.phone', 'debtor.iban', 'debtor.bsn'].map((field) => `cases.*.${field}`),
    },
    'PUT /v1/cases/:caseId/debtor': {
      role: 'billing',
      params: { caseId },
      body: request.debtor as unknown as Json,
      optional: ['email', 'phone', 'iban', 'bsn'],
    },
    'POST /v1/cases/:caseId/payments': {
      role: 'billing',
      params: { caseId },
      body: { transactionId: 'TX-fuzz-new', amount: '1.00', bookedOn: today },
      horizons: { bookedOn: 7 },
    },
    'POST /v1/cases/:caseId/segment': { role: 'operator', params: { caseId }, body: { segment: 'slow_payer' } },
    'POST /v1/cases/:caseId/exceptions': {
      role: 'operator',
      params: { caseId },
      body: { kind: 'dispute', note: 'Huurder betwist de afrekening.', since: today },
      optional: ['note', 'since'],
      notes: ['note'],
      horizons: { since: 7 },
    },
    'DELETE /v1/cases/:caseId/exceptions/:kind': { role: 'operator', params: { caseId, kind: 'dispute' }, query: { outcome: 'resume' } },
    'POST /v1/cases/:caseId/proposals': { role: 'operator', params: { caseId }, body: { decision: 'handover' } },
    'POST /v1/cases/:caseId/approvals': { role: 'approver', params: { caseId }, body: { decision: 'handover', proposalId: 'proposal-fuzz' } },
    'POST /v1/cases/:caseId/arrangements': {
      role: 'operator',
      params: { caseId },
      body: { instalments: [{ dueDate: addDays(today, 7), amount: '400.00' }, { dueDate: addDays(today, 37), amount: '402.50' }] },
    },
    'POST /v1/cases/:caseId/payments/:transactionId/reversal': {
      role: 'billing',
      params: { caseId, transactionId },
      body: { reversedOn: today, reasonCode: 'MD06' },
      horizons: { reversedOn: 7 },
    },
    'POST /v1/bailiff/cases/:caseId/events': {
      role: 'bailiff',
      params: { caseId },
      body: { eventId: 'event-fuzz', type: 'eviction_scheduled', date: today, evictionDate: addDays(today, 60) },
      optional: ['amount', 'evictionDate'],
      horizons: { date: 7, evictionDate: 366 },
    },
    'POST /v1/tasks/:taskId/outcome': {
      role: 'operator',
      params: { taskId },
      body: { outcome: 'promise_to_pay', note: 'Belt morgen terug.', promisedOn: addDays(today, 14) },
      optional: ['note'],
      notes: ['note'],
      horizons: { promisedOn: 366 },
    },
    'POST /v1/cases/:caseId/early-warning-objection': {
      role: 'operator',
      params: { caseId },
      body: { objectedOn: today, note: 'Bezwaar per telefoon.' },
      optional: ['objectedOn', 'note'],
      notes: ['note'],
      horizons: { objectedOn: 0 },
    },
    'POST /v1/holds': {
      role: 'operator',
      body: { holdId: 'hold-fuzz', corporationId, segment: 'unknown', query: "CollectionStage = 'reminder'", reason: 'Schuldhulpcampagne.' },
      optional: ['holdId', 'segment', 'query', 'reason'],
      // Line breaks and tabs in a query separate tokens, as spaces do.
      notes: ['reason', 'query'],
    },
    'DELETE /v1/holds/:holdId': { role: 'operator', params: { holdId: 'hold-fuzz' } },
    'PUT /v1/corporations/:corporationId/policy': { role: 'admin', params: { corporationId }, body: policy, optional: ['segments', 'earlyWarning.municipalities'], nullable: ['defaultSegment.prenotice', 'defaultSegment.callRound', 'defaultSegment.homeVisit'] },
    'PUT /v1/corporations/:corporationId': {
      role: 'admin',
      params: { corporationId },
      body: { name: 'Fuzzcorporatie', vatSurcharge: false, bailiffOfficeId: 'gdw-test', rentedUnits: 1200, retentionYears: 7 },
      optional: ['vatSurcharge', 'bailiffOfficeId', 'rentedUnits', 'retentionYears'],
      nullable: ['bailiffOfficeId', 'rentedUnits'],
    },
    'POST /v1/simulation/advance': { role: 'admin', body: { days: 1 } },
    // Direct debit (issue 13): the seeded creditor and occupancy (test/support/direct-debit-seed.ts), stored again unchanged.
    'PUT /v1/creditors/:creditorId': {
      role: 'admin',
      params: { creditorId: `cred-${corporationId}` },
      body: {
        corporationId,
        name: 'Incassodienst Walk',
        initiatingPartyName: 'Incassodienst Walk',
        creditorIdentifier: 'NL69ZZZ123456780000',
        iban: 'NL91ABNA0417164300',
        bic: null,
        accountMode: 'provider_account',
        painVersion: 'pain.008.001.08',
        collectionDay: 1,
        collectionDayShift: 'later',
        prenoticeDays: 14,
        runIntervalDays: 7,
        limits: { maxPerDebit: '500.00', maxRunTotal: '10000.00', runsPerMonth: 2 },
      },
      optional: ['initiatingPartyName', 'bic', 'painVersion', 'collectionDayShift', 'prenoticeDays', 'runIntervalDays'],
      nullable: ['bic'],
    },
    'PUT /v1/occupancies/:occupancyId': {
      role: 'billing',
      params: { occupancyId: `occ-${corporationId}` },
      body: {
        creditorId: `cred-${corporationId}`,
        corporationId,
        contractRef: `HC-${corporationId}`,
        unitRef: 'Unit 1',
        occupant: { name: 'W. Bewoner', address: { street: 'Laan 1', postalCode: '1234 AB', city: 'Utrecht' }, email: null, iban: null },
        movedInOn: '2026-10-01',
        mandate: { mandateId: `MND-${corporationId}`, signedOn: '2026-09-15', iban: 'NL02ABNA0123456789', bic: null },
        advance: { amount: '85.00', from: '2026-11' },
      },
      optional: ['occupant.email', 'occupant.iban', 'mandate.bic'],
      nullable: ['occupant.email', 'occupant.iban', 'mandate.bic'],
    },
    'POST /v1/occupancies/:occupancyId/advance': { role: 'billing', params: { occupancyId: `occ-${corporationId}` }, body: { amount: '80.00', from: '2027-06', requestedBy: 'occupant' } },
    'POST /v1/occupancies/:occupancyId/advances/:month': {
      role: 'operator',
      params: { occupancyId: `occ-${corporationId}`, month: '2027-02' },
      body: { action: 'paid_otherwise', paidOn: today, reference: 'KAS-FUZZ-1' },
      horizons: { paidOn: 7 },
    },
    'POST /v1/letters/:letterId/delivery': {
      role: 'operator',
      params: { letterId },
      body: { deliveredOn: today, trackingCode: '3SFUZZ000000001', evidence: 'Getekend door de huurder.' },
      optional: ['evidence'],
      horizons: { deliveredOn: 0 },
    },
    'PUT /v1/cases/:caseId/consent': { role: 'operator', params: { caseId }, body: { email: true, sms: false, whatsapp: false }, optional: ['whatsapp'] },
    'POST /v1/api-keys': { role: 'admin', body: { role: 'operator', person: 'Fuzz Persoon', corporationIds: [corporationId] } },
    'DELETE /v1/api-keys/:keyId': { role: 'admin', params: { keyId } },
    // The body is a bank file (XML), which these JSON spoilers do not reach: the query is spoiled, the body left out (test/e2e/bank-statements.test.ts spoils files).
    'POST /v1/bank/statements': { role: 'billing', query: { corporationId } },
    'POST /v1/bank/unmatched/:entryId': { role: 'operator', params: { entryId: `be-${'f'.repeat(32)}` }, body: { action: 'not_ours' } },
    'POST /v1/cases/:caseId/payment-link': { role: 'billing', params: { caseId }, body: { amount: '1.00' }, optional: ['amount'] },
    // No key but a signature (test/e2e/payment-links.test.ts signs them): any spoiled body is unsigned here, a 401.
    'POST /v1/payment-provider/webhook': { role: 'billing', body: { id: 'tr_0123456789abcdef' } },
    // Temporal's remote codec protocol: proto3 JSON, base64 bytes ('json/plain', '{"a":1}'). An empty list is a valid request.
    'POST /codec/decode': { role: 'operator', body: codecBody, optional: ['payloads.*', 'payloads.*.data'] },
    'POST /codec/encode': { role: 'admin', body: codecBody, optional: ['payloads.*', 'payloads.*.data'] },
  };
}

const codecBody = { payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'eyJhIjoxfQ==' }] };

/** The POST, PUT, PATCH and DELETE routes of the app, from express's router stack (routers mounted without a prefix). */
function writeRoutes(app: ApiHarness['app']): string[] {
  interface Layer {
    route?: { path: string; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  }
  const routes: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (['post', 'put', 'delete', 'patch'].includes(method)) routes.push(`${method.toUpperCase()} ${layer.route.path}`);
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...new Set(routes)].sort();
}

// ---------------------------------------------------------------------------------------------
// Spoiling a valid request
// ---------------------------------------------------------------------------------------------

type Path = readonly (string | number)[];
interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly key: string;
  /** A JSON value, or raw text sent as the body. */
  readonly body?: { readonly json: unknown } | { readonly raw: string };
}

const pattern = (path: Path) => path.map((p) => (typeof p === 'number' ? '*' : p)).join('.');
const isDate = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);

function leavesOf(value: Json, path: Path = []): { path: Path; value: Json }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leavesOf(item, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leavesOf(item, [...path, key]));
  return [{ path, value }];
}

function fieldsOf(value: Json, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => fieldsOf(item, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [[...path, key], ...fieldsOf(item, [...path, key])]);
  return [];
}

function withValue(root: Json, path: Path, replace: ((value: Json) => unknown) | 'delete'): unknown {
  if (path.length === 0) return replace === 'delete' ? undefined : replace(root);
  const [head, ...rest] = path;
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  if (rest.length === 0 && replace === 'delete') delete copy[head!];
  else copy[head!] = withValue(copy[head!] as Json, rest, replace);
  return copy;
}

function buildPath(route: string, params: Readonly<Record<string, string>>, rawOverride: Readonly<Record<string, string>> = {}): string {
  return route.replace(/(?<!\\):(\w+)/g, (_, name: string) => rawOverride[name] ?? encodeURIComponent(params[name]!)).replace(/\\:/g, ':');
}

const request = (route: string, spec: RouteSpec, parts: { body?: HttpRequest['body']; rawParams?: Record<string, string>; rawQuery?: string } = {}): HttpRequest => {
  const [method, template] = route.split(' ') as [string, string];
  const query = parts.rawQuery ?? (spec.query ? new URLSearchParams(spec.query).toString() : '');
  return {
    method,
    path: buildPath(template, spec.params ?? {}, parts.rawParams) + (query ? `?${query}` : ''),
    key: api.keys[spec.role],
    ...(parts.body ? { body: parts.body } : spec.body !== undefined ? { body: { json: spec.body } } : {}),
  };
};

const insertAt = (text: string, at: number, inserted: string) => {
  const i = at % (text.length + 1);
  return text.slice(0, i) + inserted + text.slice(i);
};

const controlCharacters = fc.constantFrom('\u0000', '\u0001', '\u0007', '\b', '\u000b', '\f', '\u001b', '\u001f', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\u202e', '\u2066');
const lineBreaks = fc.constantFrom('\n', '\r', '\r\n', '\t');
const loneSurrogate = fc.oneof(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff })).map((code) => String.fromCharCode(code));
const hugeLength = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 5_000, max: 200_000 }) }, { weight: 1, arbitrary: fc.constant(1_100_000) });
const badDates = fc.oneof(
  fc.constantFrom('0000-01-01', '0001-01-01', '1899-12-31', '1969-12-31', '1999-12-31', '2100-01-01', '9999-12-31', '2026-02-30', '2026-13-01', '2026-1-1', '+02026-01-01', '2026-01-01T00:00:00Z', '20260101', ''),
  fc.integer({ min: 0, max: 9999 }).filter((year) => year < 2000 || year > 2099).map((year) => `${String(year).padStart(4, '0')}-06-15`),
);
/** Values of another JSON type than `value` (null only where the field may not be null). */
const wrongTypes = (value: Json, nullable: boolean) =>
  fc.oneof(
    ...(typeof value === 'number' ? [] : [fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })]),
    ...(typeof value === 'boolean' ? [] : [fc.boolean()]),
    ...(typeof value === 'string' ? [] : [fc.string({ maxLength: 20 })]),
    fc.constant({}),
    fc.constant([]),
    fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
    ...(nullable || value === null ? [] : [fc.constant(null)]),
  );

/** A value the field at `path` cannot take, with a word on what it is. */
function badValueFor(spec: RouteSpec, path: Path, value: Json): fc.Arbitrary<{ what: string; value: unknown }> {
  const field = pattern(path);
  const nullable = spec.nullable?.includes(field) ?? false;
  const isNote = spec.notes?.includes(field) ?? false;
  const options: fc.Arbitrary<{ what: string; value: unknown }>[] = [wrongTypes(value, nullable).map((v) => ({ what: 'wrong type', value: v }))];
  if (typeof value === 'string') {
    options.push(
      fc.nat().map((at) => ({ what: 'NUL', value: insertAt(value, at, '\u0000') })),
      fc.tuple(fc.nat(), loneSurrogate).map(([at, s]) => ({ what: 'lone surrogate', value: insertAt(value, at, s) })),
      fc.tuple(fc.nat(), controlCharacters).map(([at, c]) => ({ what: 'control character', value: insertAt(value, at, c) })),
      hugeLength.map((n) => ({ what: 'huge string', value: value + 'x'.repeat(n) })),
    );
    if (!isNote) options.push(fc.tuple(fc.integer({ min: 1, max: Math.max(1, value.length - 1) }), lineBreaks).map(([at, c]) => ({ what: 'line break', value: insertAt(value, at, c) })));
    if (isDate(value)) {
      options.push(badDates.map((d) => ({ what: 'date out of range', value: d })));
      const horizon = spec.horizons?.[field];
      if (horizon !== undefined) {
        options.push(fc.integer({ min: horizon + 1, max: 20_000 }).map((days) => ({ what: 'date beyond its horizon', value: addDays(today, days) })));
      }
    }
  } else if (typeof value === 'number') {
    options.push(fc.constantFrom(-1, 0.5, 1e12, -1e308, Number.MAX_SAFE_INTEGER + 2).map((n) => ({ what: 'number out of range', value: n })));
  }
  return fc.oneof(...options);
}

const badPathSegments = fc.oneof(
  fc.constantFrom('%00', 'a%00b', '%0A', '%09', '%7F', '%C2%85', '%E2%80%A8', '%ED%A0%80', '%ED%BF%BF', '%C0%80', '%FF', '%', '%ZZ', '%20x'),
  fc.integer({ min: 3_000, max: 9_000 }).map((n) => 'x'.repeat(n)),
);

function spoilers(route: string, spec: RouteSpec): fc.Arbitrary<{ what: string; request: HttpRequest }> {
  const options: fc.Arbitrary<{ what: string; request: HttpRequest }>[] = [];
  const body = spec.body;
  if (body !== undefined) {
    const leaves = leavesOf(body);
    options.push(
      fc.constantFrom(...leaves).chain(({ path, value }) =>
        badValueFor(spec, path, value).map(({ what, value: bad }) => ({
          what: `${what} in ${pattern(path)}`,
          request: request(route, spec, { body: { json: withValue(body, path, () => bad) } }),
        })),
      ),
    );
    const required = fieldsOf(body).filter((path) => !spec.optional?.includes(pattern(path)));
    if (required.length > 0) {
      options.push(fc.constantFrom(...required).map((path) => ({ what: `no ${pattern(path)}`, request: request(route, spec, { body: { json: withValue(body, path, 'delete') } }) })));
    }
    options.push(
      fc
        .constantFrom<HttpRequest['body']>({ json: [] }, { json: null }, { json: 'text' }, { json: 42 }, { json: true }, { json: [body] }, { raw: '{"a":' }, { raw: '\u0000' })
        .map((b) => ({ what: 'body that is no object', request: request(route, spec, { body: b }) })),
    );
  }
  const params = Object.keys(spec.params ?? {});
  if (params.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...params), badPathSegments, fc.boolean()).map(([name, segment, append]) => ({
        what: `bad path segment ${name}`,
        request: request(route, spec, { rawParams: { [name]: append ? encodeURIComponent(spec.params![name]!) + segment : segment } }),
      })),
    );
  }
  const query = Object.keys(spec.query ?? {});
  if (query.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...query), fc.constantFrom('%00', 'x', '%ED%A0%80', 'resume%0A', '', 'x'.repeat(5000))).map(([name, value]) => ({
        what: `bad query ${name}`,
        request: request(route, spec, { rawQuery: `${name}=${value}` }),
      })),
      fc.constantFrom(...query).map((name) => ({ what: `repeated query ${name}`, request: request(route, spec, { rawQuery: `${name}=${spec.query![name]}&${name}=${spec.query![name]}` }) })),
    );
  }
  return fc.oneof(...options);
}

// ---------------------------------------------------------------------------------------------
// Sending, and what must not change
// ---------------------------------------------------------------------------------------------

async function send(req: HttpRequest): Promise<{ status: number; contentType: string; body: unknown; text: string }> {
  const response = await fetch(`${api.baseUrl}${req.path}`, {
    method: req.method,
    headers: { authorization: `Bearer ${req.key}`, ...(req.body ? { 'content-type': 'application/json' } : {}) },
    ...(req.body ? { body: 'raw' in req.body ? req.body.raw : JSON.stringify(req.body.json) } : {}),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body, text };
}

const describeRequest = (req: HttpRequest) => {
  const body = req.body ? ('raw' in req.body ? req.body.raw : JSON.stringify(req.body.json)) : '';
  const short = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
  return `${req.method} ${short(req.path)} ${short(body)}`;
};

function expectErrorShape(response: Awaited<ReturnType<typeof send>>, context: string) {
  expect(response.contentType, context).toMatch(/^application\/json/);
  expect(response.body, `${context}: ${response.text.slice(0, 300)}`).toEqual({
    error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) },
  });
}

/** Every table of the test database: row count and a digest of its rows. */
async function databaseDigest(): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%' order by table_name`.execute(api.database.db);
  // The audit trail records this test's own reads of the seeded case (fullState); a refused request adds no entry of any kind.
  const ownReads = (name: string) => (name === 'audit_log' ? sql` where t.kind is distinct from 'personal-data-read'` : sql``);
  const parts = tables.rows.map(({ name }) => sql`select cast(${name} as text) as name, count(*)::text || ':' || md5(coalesce(string_agg(t::text, E'\n' order by t::text), '')) as digest from ${sql.table(name)} t${ownReads(name)}`);
  const rows = await sql<{ name: string; digest: string }>`${sql.join(parts, sql` union all `)}`.execute(api.database.db);
  return Object.fromEntries(rows.rows.map((r) => [r.name, r.digest]));
}

/** What a refused request must leave alone: the database and the seeded track's history. */
async function quickState() {
  const description = await api.client.workflow.getHandle(seeded.workflowId).describe();
  return { database: await databaseDigest(), track: { runId: description.runId, status: description.status.name, historyLength: description.historyLength } };
}

/** The same, plus what the track says of itself and the tracks Temporal lists for the corporation. */
async function fullState() {
  const status = await api.call('GET', `/v1/cases/${seeded.caseId}`, { key: api.keys.operator });
  const { count } = await api.client.workflow.count(`CorporationId = '${corporationId}'`);
  return { ...(await quickState()), caseStatus: status.body, workflowsOfCorporation: count };
}

/** Waits (at most 20 s) until the seeded track has done what it does and nothing changes for a while. */
async function settled() {
  const deadline = Date.now() + 20_000;
  let previous = JSON.stringify(await quickState());
  for (let stable = 0; stable < 3 && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    const pending = (await api.client.workflow.getHandle(seeded.workflowId).describe()).raw.pendingActivities?.length ?? 0;
    const current = JSON.stringify(await quickState());
    stable = current === previous && pending === 0 ? stable + 1 : 0;
    previous = current;
  }
}

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  // A call task opens on the first day of default, so the task route has a real task to refuse input for.
  await ensureTestCorporation(api.database.db, { corporationId, bailiffOfficeId: 'gdw-test', policy: policyWith({ callRound: { afterDefaultDays: 0, expiresAfterDays: 30 } }) });
  await api.grant(corporationId);
  const request = caseRequest({ corporationId, claims: [rentClaim('R-1', '812.50', addDays(today, -8))] });
  const opened = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: { ...request, debtor: { ...request.debtor, phone: '06-12345678' } } });
  expect(opened.status).toBe(201);
  const { caseId, workflowId } = opened.body as { caseId: string; workflowId: string };
  const transactionId = 'TX-fuzz-1';
  const paid = await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: { transactionId, amount: '10.00', bookedOn: today } });
  expect(paid.status).toBe(202);
  const task = await eventually(
    () => api.database.db.selectFrom('task').select('task_id').where('case_id', '=', caseId).executeTakeFirst(),
    (row) => row !== undefined,
  );
  expect(task).toBeDefined();
  // The bailiff key reaches only a case handed to its office (issue 10): the bailiff route's input checks need one.
  await api.database.db.updateTable('collection_case').set({ bailiff_office_id: 'gdw-test' }).where('case_id', '=', caseId).execute();
  const { keyId } = await api.makeKey({ role: 'operator', person: 'Fuzz Persoon', corporationIds: [corporationId], bailiffOfficeId: null });
  // A registered letter whose delivery the mail house has yet to report.
  const letterId = '5e1ec7ed-0000-4000-8000-000000000001';
  await api.database.db
    .insertInto('letter')
    .values({ letter_id: letterId, idempotency_key: `fuzz-${letterId}`, case_id: caseId, kind: 'wik', channel: 'registered_post', posted_on: addDays(today, -3), delivered_on: null, template: 'wik@2', body: 'brief', facts: '{}' })
    .execute();
  await seedDirectDebit(api.database.db, corporationId, corporationId);
  seeded = { caseId, workflowId, request: { ...request, debtor: { ...request.debtor, phone: '06-12345678' } }, taskId: task!.task_id, transactionId, keyId, letterId };
  await eventually(() => api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator }), (r) => r.body.letters?.length > 0);
  await settled();
});
afterAll(async () => {
  await api?.close();
});

describe('bad input over every write route (issue 8, defect 6)', () => {
  it('has a valid request in this file for every POST, PUT and DELETE route of the app', () => {
    const routes = writeRoutes(api.app);
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((route) => !(route in routeSpecs())), 'routes without a valid request in routeSpecs()').toEqual([]);
    expect(Object.keys(routeSpecs()).filter((route) => !routes.includes(route)), 'routeSpecs() for routes the app does not have').toEqual([]);
  });

  it('answers the inputs the issue reports with 400 in the api.md shape, and changes nothing', async () => {
    await settled();
    const { caseId, request, taskId, transactionId } = seeded;
    const debtor = request.debtor;
    const cases: [string, string, keyof ApiKeys, unknown, number?][] = [
      ['POST', '/v1/cases', 'billing', { ...request, debtor: { ...debtor, name: 'T. Test\u0000huurder' } }],
      ['POST', '/v1/cases', 'billing', { ...request, debtor: { ...debtor, address: { ...debtor.address, street: 'Proefstraat\u0000 1' } } }],
      ['POST', '/v1/cases', 'billing', { ...request, debtor: { ...debtor, address: { ...debtor.address, city: 'Test\u0000stad' } } }],
      ['POST', '/v1/cases', 'billing', { ...request, debtor: { ...debtor, phone: '06-1234\u00005678' } }],
      ['POST', '/v1/cases', 'billing', { ...request, debtor: { ...debtor, email: `huurder@example.${'o'.repeat(300)}` } }],
      ['POST', '/v1/cases', 'billing', { ...request, claims: [{ ...request.claims[0]!, description: 'Huur\u0000' }] }],
      ['POST', '/v1/cases', 'billing', { ...request, claims: [{ ...request.claims[0]!, dueDate: '0000-01-01' }] }],
      ['POST', `/v1/cases/${caseId}/payments`, 'billing', { transactionId: 'TX\u00001', amount: '1.00', bookedOn: today }],
      ['POST', `/v1/cases/${caseId}/payments`, 'billing', { transactionId: '\ud800', amount: '1.00', bookedOn: today }],
      ['POST', `/v1/cases/${caseId}/payments`, 'billing', { transactionId: 'TX-2', amount: '1.00', bookedOn: '0000-01-01' }],
      ['POST', `/v1/cases/${caseId}/payments`, 'billing', { transactionId: 'TX-3', amount: '1.00', bookedOn: '2099-12-31' }],
      ['POST', `/v1/cases/${caseId}/exceptions`, 'operator', { kind: 'dispute', note: 'zie\u0000brief' }],
      ['POST', `/v1/cases/${caseId}/exceptions`, 'operator', { kind: 'wsnp', since: '9999-12-31' }],
      ['POST', `/v1/cases/${caseId}/exceptions`, 'operator', { kind: 'wsnp', since: '2099-12-31' }],
      ['POST', `/v1/cases/${caseId}/approvals`, 'approver', { decision: 'handover', proposalId: '\ud800' }],
      ['POST', `/v1/cases/${caseId}/payments/${encodeURIComponent(transactionId)}/reversal`, 'billing', { reversedOn: '0000-01-01', reasonCode: 'MD06' }],
      ['POST', `/v1/cases/${caseId}/payments/%00/reversal`, 'billing', { reversedOn: today, reasonCode: 'MD06' }],
      ['POST', `/v1/cases/${caseId}/payments/%ED%A0%80/reversal`, 'billing', { reversedOn: today, reasonCode: 'MD06' }],
      ['POST', `/v1/tasks/${encodeURIComponent(taskId)}/outcome`, 'operator', { outcome: 'reached', note: 'geen\u0000gehoor' }],
      ['POST', '/v1/tasks/%00/outcome', 'operator', { outcome: 'reached' }],
      ['POST', `/v1/cases/${caseId}/early-warning-objection`, 'operator', { note: 'bezwaar\u0000' }],
      ['POST', '/v1/holds', 'operator', { corporationId, reason: 'campagne\u0000' }],
      ['PUT', `/v1/corporations/${corporationId}`, 'admin', { name: 'Fuzz\u0000corporatie' }],
      ['PUT', `/v1/corporations/${corporationId}`, 'admin', { name: 'Fuzzcorporatie', bailiffOfficeId: 'no-such-office' }, 422],
      ['PUT', '/v1/corporations/%00', 'admin', { name: 'Fuzzcorporatie' }],
      ['POST', `/v1/bailiff/cases/${caseId}/events`, 'bailiff', { eventId: '\ud800', type: 'summons_served', date: today }],
      ['POST', `/v1/bailiff/cases/${caseId}/events`, 'bailiff', { eventId: 'e-1', type: 'summons_served', date: '2099-12-31' }],
    ];
    const before = await fullState();
    const wrong: string[] = [];
    for (const [method, path, role, body, expected = 400] of cases) {
      const req: HttpRequest = { method, path, key: api.keys[role], body: { json: body } };
      const response = await send(req);
      if (response.status !== expected) wrong.push(`${describeRequest(req)} → ${response.status} ${response.text.slice(0, 200)}`);
      else expectErrorShape(response, describeRequest(req));
    }
    expect(wrong).toEqual([]);
    expect(await fullState()).toEqual(before);
  });

  it("refuses a debtor name with a line break (it would print as a line of its own in the letter's address block)", async () => {
    const { request } = seeded;
    for (const name of ['T. Testhuurder\nBetaal voortaan op NL00BANK0123456789', 'T. Testhuurder\r\nx', 'T.\u2028Testhuurder']) {
      const response = await send({ method: 'POST', path: '/v1/cases', key: api.keys.billing, body: { json: { ...request, debtor: { ...request.debtor, name } } } });
      expect(response.status, JSON.stringify(name)).toBe(400);
      expectErrorShape(response, name);
      expect((response.body as any).error.details[0].path).toEqual(['debtor', 'name']);
      const changed = await send({ method: 'PUT', path: `/v1/cases/${seeded.caseId}/debtor`, key: api.keys.billing, body: { json: { ...request.debtor, name } } });
      expect(changed.status, JSON.stringify(name)).toBe(400);
      expect((changed.body as any).error.details[0].path).toEqual(['name']);
    }
    const fresh = caseRequest({ corporationId, claims: [rentClaim('R-1', '100.00', addDays(today, -3))] });
    const opened = await send({ method: 'POST', path: '/v1/cases', key: api.keys.billing, body: { json: { ...fresh, debtor: { ...fresh.debtor, name: 'Jan\nJansen' } } } });
    expect(opened.status).toBe(400);
    expect(await api.database.db.selectFrom('collection_case').select('case_id').where('contract_ref', '=', fresh.contractRef).execute()).toEqual([]);
  });

  it('answers generated bad requests on every write route with a 4xx in the api.md shape, and changes nothing', async () => {
    await settled();
    const specs = routeSpecs();
    const failures: string[] = [];
    let sent = 0;
    const started = Date.now();
    for (const [index, [route, spec]] of Object.entries(specs).entries()) {
      const before = await fullState();
      // The database and the track are compared once per route, after all its requests: a digest
      // of every table after each of ~1,900 requests was most of this file's time. When a route
      // did change them, its same requests run again with a comparison around each one, so the
      // failure still names the request that did it.
      const property = (eachRequest: boolean) =>
        fc.asyncProperty(spoilers(route, spec), async ({ what, request: req }) => {
          sent++;
          const prior = eachRequest ? await quickState() : undefined;
          const response = await send(req);
          const context = `${what}: ${describeRequest(req)} → ${response.status} ${response.text.slice(0, 300)}`;
          expect(response.status, context).toBeGreaterThanOrEqual(400);
          expect(response.status, context).toBeLessThan(500);
          expectErrorShape(response, context);
          if (prior) expect(await quickState(), `state changed by ${context}`).toEqual(prior);
        });
      const options = { numRuns: runsPerRoute, seed: baseSeed + index, endOnFailure: true };
      let result = await fc.check(property(false), options);
      const after = await fullState();
      if (!result.failed && JSON.stringify(after) !== JSON.stringify(before)) {
        result = await fc.check(property(true), options);
        if (!result.failed) failures.push(`${route} (seed ${options.seed}): changed the case or the workflows, and no single request did so again`);
      }
      if (result.failed) failures.push(`${route} (seed ${result.seed}, path ${result.counterexamplePath}): ${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance).slice(0, 1500)}`);
    }
    console.log(`[input fuzz] ${sent} requests over ${Object.keys(specs).length} routes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(failures).toEqual([]);
  });
});
