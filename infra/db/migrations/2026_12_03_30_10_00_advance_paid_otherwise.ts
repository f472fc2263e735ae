import { sql, type Kysely } from 'kysely';

/**
 * A month's advance an operator recorded as paid another way (cash, a transfer, set off): one per
 * occupancy and month, with who recorded it. The month's debits that were still planned are taken
 * out of their run; the advance account stops retrying it and hands nothing to the track.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('advance_paid_otherwise')
    .addColumn('occupancy_id', 'text', (c) => c.notNull().references('occupancy.occupancy_id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('amount', sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn('paid_on', 'date', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('withdrawn_debits', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('advance_paid_otherwise_pk', ['occupancy_id', 'month'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('advance_paid_otherwise').execute();
}
