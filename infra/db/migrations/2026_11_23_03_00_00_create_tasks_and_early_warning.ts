import { sql, type Kysely } from 'kysely';

/**
 * Tasks for people (call round, home visit; domain.md §1 A.2) and the early-warning evidence
 * (domain.md §7). The worklist joins a task with the debtor's contact details here; the track
 * only knows the task's id, dates and outcome.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('task')
    .addColumn('task_id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('corporation_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('call', 'visit')`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'completed', 'expired', 'cancelled')`))
    .addColumn('opened_on', 'date', (c) => c.notNull())
    .addColumn('expires_on', 'date', (c) => c.notNull())
    .addColumn('arrears', sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('promised_on', 'date')
    .addColumn('note', 'text')
    .addColumn('completed_by', 'text')
    .addColumn('completed_at', 'timestamptz')
    /** The day an expired or cancelled task left the worklist. */
    .addColumn('closed_on', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('task_worklist').on('task').columns(['corporation_id', 'kind', 'status']).execute();
  await db.schema.createIndex('task_case').on('task').column('case_id').execute();

  await db.schema
    .createTable('early_warning_signal')
    .addColumn('signal_id', 'text', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('corporation_id', 'text', (c) => c.notNull())
    .addColumn('municipality_code', 'text')
    .addColumn('arrears', sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn('in_default_since', 'date', (c) => c.notNull())
    .addColumn('signal_date', 'date', (c) => c.notNull())
    .addColumn('reminder_letter_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('contact_task_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('receipt', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('early_warning_signal_case').on('early_warning_signal').column('case_id').execute();

  await db.schema
    .createTable('early_warning_objection')
    .addColumn('objection_id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('objected_on', 'date', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('early_warning_objection_case').on('early_warning_objection').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('early_warning_objection').ifExists().execute();
  await db.schema.dropTable('early_warning_signal').ifExists().execute();
  await db.schema.dropTable('task').ifExists().execute();
}
