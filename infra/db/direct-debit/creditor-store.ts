import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { CollectionSchedule } from '../../../shared/direct-debit/collection-calendar.js';

export interface CreditorSettings {
  readonly corporationId: string;
  readonly name: string;
  readonly initiatingPartyName?: string | undefined;
  readonly creditorIdentifier: string;
  readonly iban: string;
  readonly bic: string | null;
  readonly accountMode: 'provider_account' | 'client_account';
  readonly painVersion: 'pain.008.001.02' | 'pain.008.001.08';
  readonly collectionDay: number;
  readonly collectionDayShift: 'earlier' | 'later';
  readonly prenoticeDays: number;
  readonly runIntervalDays: number;
  readonly limits: { readonly maxPerDebit: string; readonly maxRunTotal: string; readonly runsPerMonth: number };
}

/** The corporation a creditor collects for; undefined when there is no such creditor. */
export async function creditorCorporation(db: Kysely<Database>, creditorId: string): Promise<string | undefined> {
  const row = await db.selectFrom('creditor').select('corporation_id').where('creditor_id', '=', creditorId).executeTakeFirst();
  return row?.corporation_id;
}

export async function upsertCreditor(db: Kysely<Database>, creditorId: string, settings: CreditorSettings): Promise<void> {
  const values = {
    corporation_id: settings.corporationId,
    name: settings.name,
    initiating_party_name: settings.initiatingPartyName ?? settings.name,
    creditor_identifier: settings.creditorIdentifier,
    iban: settings.iban,
    bic: settings.bic,
    account_mode: settings.accountMode,
    pain_version: settings.painVersion,
    collection_day: settings.collectionDay,
    collection_day_shift: settings.collectionDayShift,
    prenotice_days: settings.prenoticeDays,
    run_interval_days: settings.runIntervalDays,
    max_per_debit: settings.limits.maxPerDebit,
    max_run_total: settings.limits.maxRunTotal,
    runs_per_month: settings.limits.runsPerMonth,
  };
  await db
    .insertInto('creditor')
    .values({ creditor_id: creditorId, ...values })
    .onConflict((oc) => oc.column('creditor_id').doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
}

/** The dates part of a creditor's settings: what its collection-runs workflow plans by. */
export async function collectionSchedule(db: Kysely<Database>, creditorId: string): Promise<CollectionSchedule & { corporationId: string }> {
  const row = await db.selectFrom('creditor').selectAll().where('creditor_id', '=', creditorId).executeTakeFirstOrThrow();
  return {
    corporationId: row.corporation_id,
    collectionDay: row.collection_day,
    collectionDayShift: row.collection_day_shift,
    prenoticeDays: row.prenotice_days,
    runsPerMonth: row.runs_per_month,
    runIntervalDays: row.run_interval_days,
  };
}
