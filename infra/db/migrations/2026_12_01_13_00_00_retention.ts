import { sql, type Kysely } from 'kysely';

/**
 * Storage limitation (AVG art. 5(1)(e)): each corporation keeps a closed case's personal data for
 * its retention period (7 years after closing by default, the fiscal period of art. 52 AWR), after
 * which a daily job anonymises it. The case remembers when it closed and when it was anonymised;
 * retention_run records each run of the job, including the runs that found nothing to do.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('corporation').addColumn('retention_years', 'integer', (c) => c.notNull().defaultTo(7)).execute();
  await db.schema.alterTable('collection_case').addColumn('closed_on', 'date').addColumn('anonymised_on', 'date').execute();
  // Cases closed before the column existed: their last recorded event, else today (the period
  // then starts late, never early).
  await sql`
    update collection_case c
       set closed_on = coalesce((select max(e.occurred_on) from case_event e where e.case_id = c.case_id), current_date)
     where c.stage = 'closed'
  `.execute(db);
  await db.schema.createIndex('collection_case_closed_on').on('collection_case').column('closed_on').where(sql.ref('stage'), '=', 'closed').execute();

  await db.schema
    .createTable('retention_run')
    .addColumn('run_key', 'text', (c) => c.primaryKey())
    .addColumn('ran_on', 'date', (c) => c.notNull())
    .addColumn('anonymised', 'integer', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('retention_run').execute();
  await db.schema.dropIndex('collection_case_closed_on').execute();
  await db.schema.alterTable('collection_case').dropColumn('closed_on').dropColumn('anonymised_on').execute();
  await db.schema.alterTable('corporation').dropColumn('retention_years').execute();
}
