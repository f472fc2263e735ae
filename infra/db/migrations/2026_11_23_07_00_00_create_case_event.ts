import { sql, type Kysely } from 'kysely';

/**
 * The read model of case events (architecture.md): what happened to which case on which day, with
 * an amount where one belongs. Written by the tracks (once per event key), read for lists and the
 * sector's KPIs, so reporting never queries workflow state.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_event')
    .addColumn('event_key', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('corporation_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('amount', 'numeric(12, 2)')
    /** Where a KPI counts days: the first day of default (paid), the start of the court case. */
    .addColumn('since', 'date')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('case_event_kpi').on('case_event').columns(['corporation_id', 'kind', 'occurred_on']).execute();
  await db.schema.alterTable('corporation').addColumn('rented_units', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('corporation').dropColumn('rented_units').execute();
  await db.schema.dropTable('case_event').execute();
}
