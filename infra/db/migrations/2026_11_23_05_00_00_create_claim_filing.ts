import { sql, type Kysely } from 'kysely';

/**
 * Claims filed with a WSNP administrator or a bankruptcy trustee (domain.md §8): what was filed,
 * when, and the document sent, as evidence. One per proceeding per case (the idempotency key).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('claim_filing')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('filing_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('proceeding', 'text', (c) => c.notNull().check(sql`proceeding in ('wsnp', 'bankruptcy')`))
    .addColumn('ruling_date', 'date', (c) => c.notNull())
    .addColumn('principal', 'numeric(12, 2)', (c) => c.notNull())
    .addColumn('interest', 'numeric(12, 2)', (c) => c.notNull())
    .addColumn('costs', 'numeric(12, 2)', (c) => c.notNull())
    .addColumn('total', 'numeric(12, 2)', (c) => c.notNull())
    .addColumn('filed_on', 'date', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('claim_filing').execute();
}
