import { sql, type Kysely } from 'kysely';

/**
 * Payment links (issue 12): a link to pay a case's debt at the payment provider. The provider's
 * payment id is unique, so a webhook delivered twice finds the one link, and the payment it books on
 * the track carries an id derived from it (`link-<provider id>`), which the track books once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payment_link')
    .addColumn('link_id', 'text', (c) => c.primaryKey())
    .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporation.corporation_id'))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('provider_payment_id', 'text', (c) => c.notNull().unique())
    .addColumn('amount', 'numeric(17, 2)', (c) => c.notNull())
    .addColumn('checkout_url', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'paid', 'expired', 'canceled', 'failed')`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('paid_at', 'timestamptz')
    .addColumn('transaction_id', 'text')
    .addColumn('booked_on', 'date')
    .addColumn('refusal', 'text')
    .execute();
  await db.schema.createIndex('payment_link_case').on('payment_link').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payment_link').execute();
}
