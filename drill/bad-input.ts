import { Connection, WorkflowClient } from '@temporalio/client';
import { sql } from 'kysely';
import { amsterdamDate } from '../shared/calendar/amsterdam-clock.js';
import { addDays } from '../shared/calendar/iso-date.js';
import { apiCaller } from './api-calls.js';
import { drillCluster, type DrillCluster } from './cluster.js';
import { inParallel, openTrack, sleep } from './drill-tracks.js';
import { seededRandom } from './seeded-random.js';

export interface BadInputOptions {
  readonly requests: number;
  readonly seed?: number;
  readonly adminUrl?: string;
  /**
   * A running cluster to drill on (the short drills share one), where nothing else is under way:
   * the drill checks that the whole database and every workflow stay as they were.
   */
  readonly cluster?: DrillCluster;
}

export interface BadInputCounts {
  readonly requests: number;
  readonly routes: number;
  readonly serverErrors: number;
  /** Answers 2xx to a request that cannot be valid: the route took something it should have refused. */
  readonly accepted: number;
  readonly tablesChanged: number;
  readonly workflowsChanged: number;
  readonly byStatus: Record<string, number>;
  readonly details: readonly string[];
}

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; $ref?: string; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[]; format?: string; pattern?: string; enum?: unknown[] };
interface Operation { method: string; path: string; roles: string[]; body?: Schema; params: string[]; query: string[] }

/**
 * Requests that no route may accept, generated from the API's own OpenAPI document so every route
 * is covered as it is today: wrong types, missing and extra fields, amounts below the cent,
 * impossible dates, huge bodies, odd unicode, malformed ids. Each one carries at least one fault
 * that makes it invalid whatever the rest holds. Counts 5xx answers, and checks that the database
 * and the running tracks are as they were.
 */
export async function badInputDrill(options: BadInputOptions): Promise<BadInputCounts> {
  const random = seededRandom(options.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const { cluster, done } = await drillCluster('bad-input', options);
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  try {
    const api = apiCaller(cluster.apiUrl);
    const today = amsterdamDate(Date.now());
    const caseIds: string[] = [];
    await inParallel(['BAD-1', 'BAD-2', 'BAD-3'], 3, async (ref) => {
      caseIds.push((await openTrack(api, cluster, ref, addDays(today, -20))).caseId);
    });
    const document = (await api.call('GET', '/v1/openapi.json', cluster.keys.operator)).body;
    const operations = operationsOf(document);
    const client = new WorkflowClient({ connection });
    // The tracks first: their first steps write to the database too.
    const workflowsBefore = await settledHistories(client, cluster);
    const before = { workflows: workflowsBefore, tables: await tableFingerprint(cluster) };

    const keyOf: Record<string, string> = { billing: cluster.keys.billing, operator: cluster.keys.operator, approver: cluster.keys.approver, admin: cluster.keys.admin, bailiff: cluster.keys.bailiff };
    const byStatus: Record<string, number> = {};
    const details: string[] = [];
    let serverErrors = 0;
    let accepted = 0;
    const writes = operations.filter((o) => o.method !== 'get');
    await inParallel(Array.from({ length: options.requests }, (_, i) => i), 8, async (i) => {
      // Writes are where bad input could change something: three in four requests go to them.
      const operation = i % 4 === 3 || writes.length === 0 ? pick(operations) : pick(writes);
      const role = operation.roles.length > 0 ? pick(operation.roles) : 'operator';
      // A write must carry a fault that makes it invalid whatever else it holds; a read may simply be odd.
      let request = badRequest(operation, { pick, random, caseIds });
      for (let tries = 0; !request.mustFail && operation.method !== 'get' && tries < 20; tries++) request = badRequest(operation, { pick, random, caseIds });
      if (!request.mustFail && operation.method !== 'get') return;
      const response = await fetch(`${cluster.apiUrl}${request.path}`, {
        method: operation.method.toUpperCase(),
        headers: { authorization: `Bearer ${keyOf[role] ?? cluster.keys.operator}`, 'content-type': request.contentType },
        body: request.body,
        signal: AbortSignal.timeout(60_000),
      }).catch((error: Error) => ({ status: 599, text: async () => error.message }));
      byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
      if (response.status >= 500) {
        serverErrors++;
        if (details.length < 30) details.push(`${operation.method.toUpperCase()} ${request.path} (${request.fault}) → ${response.status} ${(await response.text()).slice(0, 200)}`);
      } else if (response.status < 300 && request.mustFail) {
        accepted++;
        if (details.length < 30) details.push(`${operation.method.toUpperCase()} ${request.path} (${request.fault}) accepted: ${response.status}`);
      }
    });

    const workflowsAfter = await settledHistories(client, cluster);
    const after = { workflows: workflowsAfter, tables: await tableFingerprint(cluster) };
    let tablesChanged = 0;
    for (const [table, fingerprint] of before.tables) {
      if (after.tables.get(table) !== fingerprint) {
        tablesChanged++;
        details.push(`table ${table} changed`);
      }
    }
    let workflowsChanged = 0;
    for (const [workflowId, length] of before.workflows) {
      if (after.workflows.get(workflowId) !== length) {
        workflowsChanged++;
        details.push(`workflow ${workflowId}: history ${length} → ${after.workflows.get(workflowId)} events`);
      }
    }
    return { requests: options.requests, routes: operations.length, serverErrors, accepted, tablesChanged, workflowsChanged, byStatus, details };
  } finally {
    await connection.close();
    await done();
  }
}

function operationsOf(document: any): Operation[] {
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema?.$ref) return schema;
    return resolve(schema.$ref.split('/').slice(1).reduce((node: any, part: string) => node?.[part], document));
  };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries<any>(document.paths ?? {})) {
    for (const [method, operation] of Object.entries<any>(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = (operation.parameters ?? []) as { name: string; in: string }[];
      const json = operation.requestBody?.content?.['application/json']?.schema;
      const body = resolve(json);
      if (body?.properties) for (const [name, property] of Object.entries(body.properties)) body.properties[name] = resolve(property)!;
      operations.push({
        method,
        path,
        roles: operation['x-roles'] ?? [],
        body,
        params: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return operations;
}

interface Generator {
  pick<T>(items: readonly T[]): T;
  random(): number;
  caseIds: readonly string[];
}

const oddStrings = ['\u0000', '\u202e\u0645\u0631\u062d\u0628\u0627', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀', 'a'.repeat(10_000), '<script>alert(1)</script>', "'; drop table collection_case; --", '\ud800', '  ', '../../etc/passwd', 'NaN'];
const wrongValues = [null, 12, -1, 1e309, true, [], {}, 'x', '', '12.345', '2026-02-30', '2026-13-01', '-0.00', '1e3', 'ÄÖÜ'];

/** One request with a fault that no route may accept. */
function badRequest(operation: Operation, gen: Generator): { path: string; body?: string; contentType: string; fault: string; mustFail: boolean } {
  const validId = (name: string) => (name === 'caseId' ? gen.pick(gen.caseIds) : `drill-${name}`);
  // Already percent-encoded: broken UTF-8 (%ED%A0%80 is a lone surrogate, %FF no character at all) among them.
  const faultyId = () => gen.pick(['not-a-uuid', '00000000-0000-0000-0000-000000000000', '%00', '%ED%A0%80', '%FF', '%E2%80%AE%D9%85', 'a'.repeat(500), '..']);
  const fillPath = (faultInPath: boolean) => {
    const faulty = faultInPath && operation.params.length > 0 ? gen.pick(operation.params) : null;
    return operation.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === faulty ? faultyId() : encodeURIComponent(validId(name))));
  };
  const withQuery = (path: string, faulty: boolean) => {
    if (operation.query.length === 0) return path;
    const params = operation.query.map((name) => `${name}=${encodeURIComponent(faulty ? String(gen.pick(wrongValues)) : 'woonstad-zuid')}`);
    return `${path}?${params.join('&')}`;
  };

  const hasBody = operation.method !== 'get' && operation.method !== 'delete';
  const properties = Object.entries(operation.body?.properties ?? {});
  const faults = [
    ...(hasBody ? ['wrong type', 'missing field', 'huge body', 'not json', 'over-precise amount', 'impossible date', 'odd unicode'] : []),
    ...(operation.params.length > 0 ? ['malformed id'] : []),
    ...(operation.query.length > 0 ? ['bad query'] : []),
  ];
  if (faults.length === 0) return { path: withQuery(fillPath(false), false), contentType: 'application/json', fault: 'none possible', mustFail: false };
  const fault = gen.pick(faults);
  const body: Record<string, unknown> = {};
  // A plausible rest, so the fault is what the route has to find.
  for (const [name, schema] of properties) body[name] = plausible(name, schema, gen);
  body[`extra${Math.floor(gen.random() * 100)}`] = gen.pick(oddStrings);
  let mustFail = true;
  switch (fault) {
    case 'wrong type': {
      if (properties.length === 0) return { path: fillPath(false), body: JSON.stringify(gen.pick([[], 12, 'x', null])), contentType: 'application/json', fault, mustFail };
      const [name, schema] = gen.pick(properties);
      body[name] = wrongTypeFor(schema, gen);
      // A union (anyOf) may take the value chosen as wrong: then the request may be valid.
      if (!schema.type) mustFail = false;
      break;
    }
    case 'missing field': {
      const required = operation.body?.required ?? [];
      if (required.length === 0) mustFail = false;
      else delete body[gen.pick(required)];
      break;
    }
    case 'huge body':
      return { path: fillPath(false), body: JSON.stringify({ ...body, padding: 'x'.repeat(3 * 1024 * 1024) }), contentType: 'application/json', fault, mustFail };
    case 'not json':
      return { path: fillPath(false), body: gen.pick(['{"a":', '<xml/>', '\u0000\u0001', 'null null']), contentType: 'application/json', fault, mustFail };
    case 'over-precise amount':
    case 'impossible date': {
      const wanted = fault === 'over-precise amount' ? /amount|total|costs|max/i : /date|On$|from|to$/;
      const target = properties.find(([name]) => wanted.test(name));
      if (target) body[target[0]] = fault === 'over-precise amount' ? gen.pick(['12.345', '0.001', '1e2', '12,50', '-5.00']) : gen.pick(['2026-02-30', '2026-13-01', '26-01-01', '2026-1-1', '0000-00-00']);
      else if (properties.length > 0) body[gen.pick(properties)[0]] = wrongTypeFor(gen.pick(properties)[1], gen);
      else mustFail = false;
      break;
    }
    case 'odd unicode': {
      const strings = properties.filter(([, s]) => s.type === 'string' && (s.format || s.pattern || s.enum));
      if (strings.length > 0) body[gen.pick(strings)[0]] = gen.pick(oddStrings);
      else mustFail = false;
      break;
    }
    case 'malformed id':
      return { path: withQuery(fillPath(true), false), body: hasBody ? JSON.stringify(body) : undefined, contentType: 'application/json', fault, mustFail };
    case 'bad query':
      return { path: withQuery(fillPath(false), true), body: hasBody ? JSON.stringify(body) : undefined, contentType: 'application/json', fault, mustFail: false };
  }
  return { path: withQuery(fillPath(false), false), body: JSON.stringify(body), contentType: 'application/json', fault, mustFail };
}

function plausible(name: string, schema: Schema, gen: Generator): unknown {
  if (schema.enum) return gen.pick(schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'string') {
    if (/date|On$/.test(name)) return '2026-11-02';
    if (/amount|total|costs/i.test(name)) return '12.50';
    if (/caseId/.test(name)) return gen.pick(gen.caseIds);
    return `drill-${name}`;
  }
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  if (type === 'object') return {};
  return 'x';
}

function wrongTypeFor(schema: Schema, gen: Generator): unknown {
  const type = Array.isArray(schema.type) ? schema.type : [schema.type];
  const candidates = wrongValues.filter((value) => {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' ? 'number' : typeof value;
    return !type.includes(kind === 'number' ? 'number' : kind) && !(kind === 'number' && type.includes('integer'));
  });
  return gen.pick(candidates.length > 0 ? candidates : [null]);
}

/** Rows and a content hash per table, leaving out what a refused request may touch by design. */
async function tableFingerprint(cluster: DrillCluster): Promise<Map<string, string>> {
  const { rows } = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(cluster.db);
  // The audit trail records refusals by design; migrations are Kysely's own.
  const skip = new Set(['audit_log', 'kysely_migration', 'kysely_migration_lock']);
  const fingerprints = new Map<string, string>();
  for (const { table_name } of rows) {
    if (skip.has(table_name)) continue;
    const { rows: [row] } = await sql<{ n: string; digest: string | null }>`select count(*)::text as n, md5(string_agg(t::text, ',' order by t::text)) as digest from ${sql.table(table_name)} t`.execute(cluster.db);
    fingerprints.set(table_name, `${row!.n}:${row!.digest}`);
  }
  return fingerprints;
}

/**
 * Each track's history length once it has done its first steps (the reminder sent, the call task
 * open) and stopped moving: on a busy machine a second without events proves little.
 */
async function settledHistories(client: WorkflowClient, cluster: DrillCluster): Promise<Map<string, number>> {
  const ids = (await cluster.db.selectFrom('collection_case').select('workflow_id').execute()).map((r) => r.workflow_id);
  const firstStepsDone = async () => {
    const { n } = await cluster.db.selectFrom('task').select((eb) => eb.fn.countAll<string>().as('n')).where('kind', '=', 'call').executeTakeFirstOrThrow();
    return Number(n) >= ids.length;
  };
  for (let round = 0; round < 120 && !(await firstStepsDone()); round++) await sleep(1_000);
  let previous = new Map<string, number>();
  for (let round = 0; round < 60; round++) {
    const lengths = new Map<string, number>();
    for (const id of ids) lengths.set(id, (await client.getHandle(id).describe()).historyLength);
    if ([...lengths].every(([id, n]) => previous.get(id) === n)) return lengths;
    previous = lengths;
    await sleep(3_000);
  }
  return previous;
}
