import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../infra/db/database.js';
import { anonymisedMarker, retentionActor } from '../shared/retention/anonymised.js';

export interface AnonymiseDueCasesRequest {
  /** The Amsterdam date the run is for (the workflow's clock): what "7 years after closing" is measured against. */
  readonly today: string;
  readonly batchSize: number;
}

export interface AnonymiseDueCasesResult {
  readonly anonymised: number;
  /** More cases are due than this batch took. */
  readonly more: boolean;
}

export interface RecordRetentionRunRequest {
  /** The workflow run: a retried record is one row. */
  readonly runKey: string;
  readonly ranOn: string;
  readonly anonymised: number;
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Closed cases whose corporation's retention period ended before `today` (a case closed on
 * 2019-06-01 with 7 years is due from 2026-06-02) and that were not anonymised since they closed
 * (a contract reopened after anonymisation closes, and is due, again).
 */
function dueCases(db: Db, today: string) {
  return db
    .selectFrom('collection_case as c')
    .innerJoin('corporation as k', 'k.corporation_id', 'c.corporation_id')
    .where('c.stage', '=', 'closed')
    .where('c.closed_on', 'is not', null)
    .where(sql<boolean>`c.closed_on + make_interval(years => k.retention_years) < ${today}::date`)
    .where((eb) => eb.or([eb('c.anonymised_on', 'is', null), eb('c.anonymised_on', '<', eb.ref('c.closed_on'))]));
}

/** Every spelling of the debtor's details the case ever held, longest first (a street before the name inside it). */
async function knownDetails(trx: Transaction<Database>, caseId: string): Promise<string[]> {
  const columns = ['name', 'street', 'postal_code', 'city', 'email', 'phone', 'iban', 'bsn'] as const;
  const [current, versions] = await Promise.all([
    trx.selectFrom('debtor').select(columns).where('case_id', '=', caseId).execute(),
    trx.selectFrom('debtor_version').select(columns).where('case_id', '=', caseId).execute(),
  ]);
  const values = new Set<string>();
  for (const row of [...current, ...versions]) {
    for (const column of columns) {
      const value = row[column]?.trim();
      if (!value || value === anonymisedMarker) continue;
      values.add(value);
      // A postal code prints as it was sent: "1234AB" and "1234 AB" are the same code.
      if (column === 'postal_code') {
        const compact = value.replace(/\s+/g, '').toUpperCase();
        values.add(compact);
        values.add(`${compact.slice(0, 4)} ${compact.slice(4)}`);
      }
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

const scrubText = (text: string, known: readonly string[]) => known.reduce((result, value) => result.split(value).join(anonymisedMarker), text);

function scrubJson(value: unknown, known: readonly string[]): unknown {
  if (typeof value === 'string') return scrubText(value, known);
  if (Array.isArray(value)) return value.map((item) => scrubJson(item, known));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubJson(item, known)]));
  return value;
}

/**
 * Replaces the case's personal data by the marker, in one transaction with its audit entry. A
 * case another transaction holds (a new cycle being opened) is left for the next run.
 */
async function anonymiseCase(db: Kysely<Database>, caseId: string, today: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await dueCases(trx, today)
      .select(['c.case_id', 'c.corporation_id', 'c.closed_on', 'k.retention_years'])
      .where('c.case_id', '=', caseId)
      .forUpdate('c')
      .skipLocked()
      .executeTakeFirst();
    if (!row) return false;
    const known = await knownDetails(trx, caseId);
    const marked = { name: anonymisedMarker, street: anonymisedMarker, postal_code: anonymisedMarker, city: anonymisedMarker, email: null, phone: null, iban: null, bsn: null };

    await trx.updateTable('debtor').set({ ...marked, updated_at: new Date() }).where('case_id', '=', caseId).execute();
    await trx.updateTable('debtor_version').set(marked).where('case_id', '=', caseId).execute();
    // The letter stays as evidence of what was sent when, for how much; only who it went to goes.
    const letters = await trx.selectFrom('letter').select(['letter_id', 'body']).where('case_id', '=', caseId).execute();
    for (const letter of letters) {
      const body = scrubText(letter.body, known);
      if (body !== letter.body) await trx.updateTable('letter').set({ body }).where('letter_id', '=', letter.letter_id).execute();
    }
    // A PDF cannot be scrubbed in place: it goes; its sha256 and page count stay as the record of what was sent.
    await trx.updateTable('letter').set({ pdf: null }).where('case_id', '=', caseId).where('pdf', 'is not', null).execute();
    const instructions = await trx.selectFrom('bailiff_instruction').select(['idempotency_key', 'detail']).where('case_id', '=', caseId).execute();
    for (const instruction of instructions) {
      const detail = JSON.stringify(scrubJson(instruction.detail, known));
      if (detail !== JSON.stringify(instruction.detail)) await trx.updateTable('bailiff_instruction').set({ detail }).where('idempotency_key', '=', instruction.idempotency_key).execute();
    }
    // Free text may hold anything a person wrote down about the tenant: it goes whole.
    await trx.updateTable('case_note').set({ note: anonymisedMarker }).where('case_id', '=', caseId).where('note', '<>', anonymisedMarker).execute();
    await trx.updateTable('task').set({ note: anonymisedMarker }).where('case_id', '=', caseId).where('note', 'is not', null).where('note', '<>', anonymisedMarker).execute();
    await trx
      .updateTable('early_warning_objection')
      .set({ note: anonymisedMarker })
      .where('case_id', '=', caseId)
      .where('note', 'is not', null)
      .where('note', '<>', anonymisedMarker)
      .execute();

    await scrubBankEntries(trx, today).where('case_id', '=', caseId).execute();

    await trx.updateTable('collection_case').set({ anonymised_on: today }).where('case_id', '=', caseId).execute();
    await trx
      .insertInto('audit_log')
      .values({
        kind: 'retention',
        actor: retentionActor,
        person: null,
        key_id: null,
        action: 'anonymisePersonalData',
        corporation_id: row.corporation_id,
        case_id: caseId,
        detail: JSON.stringify({ closedOn: row.closed_on, retentionYears: row.retention_years, ranOn: today }),
      })
      .execute();
    return true;
  });
}

/**
 * A bank line's counterparty (name, IBAN) and free text go; its amount, dates, references and fate
 * stay, so the books and the import's record still add up. Free text is scrubbed whole, as a note
 * is: a payer may have written anything there.
 */
function scrubBankEntries(db: Db, today: string) {
  return db.updateTable('bank_entry').set({
    counter_name: sql<string | null>`case when counter_name is null then null else ${anonymisedMarker} end`,
    counter_iban: null,
    free_text: sql<string | null>`case when free_text is null then null else ${anonymisedMarker} end`,
    anonymised_on: today,
  });
}

/**
 * Bank lines booked to no case (the worklist's, set aside, refunded) whose corporation's retention
 * period has passed since their booking date; lines of a case go with the case.
 */
function dueBankEntries(db: Db, today: string) {
  return db
    .selectFrom('bank_entry as e')
    .innerJoin('corporation as k', 'k.corporation_id', 'e.corporation_id')
    .where('e.case_id', 'is', null)
    .where('e.anonymised_on', 'is', null)
    .where(sql<boolean>`e.booking_date + make_interval(years => k.retention_years) < ${today}::date`);
}

/** The retention job's work (workflows/retention): idempotent, a batch at a time. */
export function createRetentionActivities(db: Kysely<Database>) {
  return {
    async anonymiseDueCases({ today, batchSize }: AnonymiseDueCasesRequest): Promise<AnonymiseDueCasesResult> {
      const due = await dueCases(db, today)
        .select('c.case_id')
        .orderBy('c.closed_on')
        .orderBy('c.case_id')
        .limit(batchSize + 1)
        .execute();
      let anonymised = 0;
      for (const { case_id } of due.slice(0, batchSize)) {
        if (await anonymiseCase(db, case_id, today)) anonymised += 1;
      }
      return { anonymised, more: due.length > batchSize };
    },

    /** A batch of bank lines of no case past their period, scrubbed in one transaction with an audit entry per corporation. */
    async anonymiseDueBankEntries({ today, batchSize }: AnonymiseDueCasesRequest): Promise<AnonymiseDueCasesResult> {
      return db.transaction().execute(async (trx) => {
        const due = await dueBankEntries(trx, today)
          .select(['e.entry_id', 'e.corporation_id', 'k.retention_years'])
          .orderBy('e.booking_date')
          .orderBy('e.entry_id')
          .limit(batchSize + 1)
          .forUpdate('e')
          .skipLocked()
          .execute();
        const batch = due.slice(0, batchSize);
        if (batch.length === 0) return { anonymised: 0, more: false };
        await scrubBankEntries(trx, today)
          .where('entry_id', 'in', batch.map((e) => e.entry_id))
          .execute();
        const byCorporation = new Map<string, { entries: number; retentionYears: number }>();
        for (const entry of batch) {
          const seen = byCorporation.get(entry.corporation_id) ?? { entries: 0, retentionYears: entry.retention_years };
          byCorporation.set(entry.corporation_id, { ...seen, entries: seen.entries + 1 });
        }
        await trx
          .insertInto('audit_log')
          .values(
            [...byCorporation].map(([corporationId, { entries, retentionYears }]) => ({
              kind: 'retention',
              actor: retentionActor,
              person: null,
              key_id: null,
              action: 'anonymiseBankEntries',
              corporation_id: corporationId,
              case_id: null,
              detail: JSON.stringify({ entries, retentionYears, ranOn: today }),
            })),
          )
          .execute();
        return { anonymised: batch.length, more: due.length > batchSize };
      });
    },

    /** One row per workflow run, so a day on which nothing was due still shows the job ran. */
    async recordRetentionRun({ runKey, ranOn, anonymised }: RecordRetentionRunRequest): Promise<void> {
      await db.insertInto('retention_run').values({ run_key: runKey, ran_on: ranOn, anonymised }).onConflict((oc) => oc.column('run_key').doNothing()).execute();
    },
  };
}
