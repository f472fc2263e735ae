import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import type { Caller, Role } from '../auth.js';
import { bankContracts } from '../requests/bank.js';
import { caseContracts } from '../requests/cases.js';
import { taskContracts, taskCursor } from '../requests/tasks.js';
import { ofHeldCorporations } from '../key-scope.js';

/**
 * The worklists' reads: Postgres only, every one restricted to the corporations the signed-in
 * key holds (key-scope.ts, as the JSON lists are), counted, and read a page at a time in an order
 * an index gives. Nothing here changes anything: actions go through the JSON API (api-call.ts).
 */

export const worklists = ['call', 'visit', 'dispute', 'bank', 'approvals', 'segments'] as const;
export type Worklist = (typeof worklists)[number];
export const worklistTitles: Record<Worklist, string> = {
  call: 'Call rounds',
  visit: 'Home visits',
  dispute: 'Disputes',
  bank: 'Unmatched bank entries',
  approvals: 'Decisions awaiting approval',
  segments: 'Segments to confirm',
};

const rolesOf = (access: unknown): readonly Role[] => (Array.isArray(access) ? (access as Role[]) : []);

/**
 * Who may see each list: the roles of the JSON route that lists the same (the contact details of
 * a call round are an operator's, as GET /v1/tasks says), so the page shows no one more.
 */
export const worklistRoles: Record<Worklist, readonly Role[]> = {
  call: rolesOf(taskContracts.worklist.access),
  visit: rolesOf(taskContracts.worklist.access),
  dispute: rolesOf(taskContracts.worklist.access),
  bank: rolesOf(bankContracts.listUnmatched.access),
  approvals: rolesOf(caseContracts.caseStatus.access).filter((role) => role !== 'billing' && role !== 'bailiff'),
  segments: rolesOf(caseContracts.caseStatus.access).filter((role) => role !== 'billing' && role !== 'bailiff'),
};
export const mayWork = (caller: Caller, list: Worklist) => worklistRoles[list].includes(caller.role);

export interface WorklistFilter {
  /** One corporation of those the key holds; all of them when absent. */
  readonly corporationId?: string;
  /** Only items whose deadline (task expiry) falls on or before this day. */
  readonly dueBy?: string;
  /** A contract reference, or its beginning. */
  readonly contract?: string;
}

export const pageSize = 25;

const likePrefix = (value: string) => `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function openTasks(db: Kysely<Database>, caller: Caller, kind: 'call' | 'visit' | 'dispute', filter: WorklistFilter) {
  return db
    .selectFrom('task as t')
    .innerJoin('collection_case as c', 'c.case_id', 't.case_id')
    .where('t.status', '=', 'open')
    .where('t.kind', '=', kind)
    .where(ofHeldCorporations(caller, 't.corporation_id'))
    .$if(filter.corporationId !== undefined, (qb) => qb.where('t.corporation_id', '=', filter.corporationId!))
    .$if(filter.dueBy !== undefined, (qb) => qb.where('t.expires_on', '<=', filter.dueBy!))
    .$if(filter.contract !== undefined, (qb) => qb.where(sql<SqlBool>`c.contract_ref like ${likePrefix(filter.contract!)}`));
}

export async function taskPage(db: Kysely<Database>, caller: Caller, kind: 'call' | 'visit' | 'dispute', filter: WorklistFilter, cursor?: string) {
  // A cursor that is not ours (an edited link) shows the first page.
  const after = cursor ? taskCursor.read(cursor) : null;
  const [rows, count] = await Promise.all([
    openTasks(db, caller, kind, filter)
      .leftJoin('debtor as d', 'd.case_id', 't.case_id')
      .select(['t.task_id', 't.case_id', 't.corporation_id', 't.kind', 't.opened_on', 't.expires_on', 't.arrears', 'c.contract_ref', 'c.workflow_id', 'd.name', 'd.phone', 'd.street', 'd.postal_code', 'd.city'])
      .$if(after !== null, (qb) => qb.where((eb) => eb(eb.refTuple('t.expires_on', 't.task_id'), '>', eb.tuple(after!.expiresOn, after!.taskId))))
      .orderBy('t.expires_on')
      .orderBy('t.task_id')
      .limit(pageSize + 1)
      .execute(),
    openTasks(db, caller, kind, filter).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return { rows: page, total: Number(count.n), nextCursor: rows.length > pageSize && last ? taskCursor.encode({ expiresOn: last.expires_on, taskId: last.task_id }) : null };
}

function unmatchedEntries(db: Kysely<Database>, caller: Caller, filter: WorklistFilter) {
  return db
    .selectFrom('bank_entry as e')
    .where('e.fate', '=', 'unmatched')
    .where(ofHeldCorporations(caller, 'e.corporation_id'))
    .$if(filter.corporationId !== undefined, (qb) => qb.where('e.corporation_id', '=', filter.corporationId!))
    .$if(filter.dueBy !== undefined, (qb) => qb.where('e.booking_date', '<=', filter.dueBy!));
}

/** Oldest booking first: the tenant who paid longest ago without it reaching a case. */
export async function unmatchedPage(db: Kysely<Database>, caller: Caller, filter: WorklistFilter, offset: number) {
  const [rows, count] = await Promise.all([
    unmatchedEntries(db, caller, filter)
      .select(['e.entry_id', 'e.corporation_id', 'e.booking_date', 'e.amount', 'e.direction', 'e.reversal', 'e.structured_ref', 'e.free_text', 'e.counter_name'])
      .orderBy('e.booking_date')
      .orderBy('e.entry_id')
      .offset(offset)
      .limit(pageSize)
      .execute(),
    unmatchedEntries(db, caller, filter).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The decisions of people the audit trail records (mountRoute writes one for each success). */
const proposedByPerson = sql<SqlBool>`exists (
  select 1 from audit_log p
   where p.case_id = c.case_id and p.action in ('proposeDecision', 'resolveException')
     and not exists (select 1 from audit_log a where a.case_id = c.case_id and a.action = 'approveDecision' and a.audit_id > p.audit_id))`;

/**
 * Open cases of the key's corporations where a four-eyes decision may be waiting: the stage the
 * track waits in for one (a hand-over it proposed; an eviction after the judgment), or a person's
 * proposal (or write-off) not approved since. The page asks each listed track for its pending
 * proposals; the track's state, not this list, is what the approve button acts on.
 */
function decisionCases(db: Kysely<Database>, caller: Caller, filter: WorklistFilter) {
  return db
    .selectFrom('collection_case as c')
    .where('c.stage', 'is not', null)
    .where('c.stage', '<>', 'closed')
    .where(ofHeldCorporations(caller, 'c.corporation_id'))
    .where((eb) => eb.or([eb('c.stage', 'in', ['awaiting_handover', 'judgment']), proposedByPerson]))
    .$if(filter.corporationId !== undefined, (qb) => qb.where('c.corporation_id', '=', filter.corporationId!))
    .$if(filter.contract !== undefined, (qb) => qb.where(sql<SqlBool>`c.contract_ref like ${likePrefix(filter.contract!)}`));
}

/**
 * Open cases whose segment no operator has confirmed yet (the audit trail holds every
 * confirmation): until then the default ladder applies (README). Oldest case first.
 */
function unconfirmedSegments(db: Kysely<Database>, caller: Caller, filter: WorklistFilter) {
  return db
    .selectFrom('collection_case as c')
    .where('c.stage', 'is not', null)
    .where('c.stage', '<>', 'closed')
    .where(ofHeldCorporations(caller, 'c.corporation_id'))
    .where(sql<SqlBool>`not exists (select 1 from audit_log a where a.case_id = c.case_id and a.action = 'confirmSegment')`)
    .$if(filter.corporationId !== undefined, (qb) => qb.where('c.corporation_id', '=', filter.corporationId!))
    .$if(filter.contract !== undefined, (qb) => qb.where(sql<SqlBool>`c.contract_ref like ${likePrefix(filter.contract!)}`));
}

export async function casePage(db: Kysely<Database>, caller: Caller, list: 'approvals' | 'segments', filter: WorklistFilter, offset: number) {
  const base = () => (list === 'approvals' ? decisionCases(db, caller, filter) : unconfirmedSegments(db, caller, filter));
  const [rows, count] = await Promise.all([
    base()
      .select(['c.case_id', 'c.corporation_id', 'c.contract_ref', 'c.workflow_id', 'c.stage', 'c.proposed_segment', 'c.created_at'])
      .orderBy('c.created_at')
      .orderBy('c.case_id')
      .offset(offset)
      .limit(pageSize)
      .execute(),
    base().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Each list's size, for the tabs. */
export async function worklistCounts(db: Kysely<Database>, caller: Caller, filter: WorklistFilter): Promise<Record<Worklist, number | null>> {
  const n = (row: { n: string | number | bigint }) => Number(row.n);
  const counted = await countAll(db, caller, filter, n);
  return Object.fromEntries(worklists.map((list) => [list, mayWork(caller, list) ? counted[list] : null])) as Record<Worklist, number | null>;
}

async function countAll(db: Kysely<Database>, caller: Caller, filter: WorklistFilter, n: (row: { n: string | number | bigint }) => number): Promise<Record<Worklist, number>> {
  const [call, visit, dispute, bank, approvals, segments] = await Promise.all([
    openTasks(db, caller, 'call', filter).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow().then(n),
    openTasks(db, caller, 'visit', filter).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow().then(n),
    openTasks(db, caller, 'dispute', filter).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow().then(n),
    unmatchedEntries(db, caller, filter).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow().then(n),
    decisionCases(db, caller, filter).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow().then(n),
    unconfirmedSegments(db, caller, filter).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow().then(n),
  ]);
  return { call, visit, dispute, bank, approvals, segments };
}

/** The corporations the key holds (all, for a platform admin): the filter's choices. */
export async function heldCorporations(db: Kysely<Database>, caller: Caller) {
  return db.selectFrom('corporation').select(['corporation_id', 'name']).where(ofHeldCorporations(caller, 'corporation_id')).orderBy('corporation_id').execute();
}
