import { sql, type Kysely } from 'kysely';

/**
 * The payment table becomes the projection of what the tracks booked (written by the track's
 * read-model activity), not what the API was asked: reversals are kept on the row, and a
 * transaction id is unique per case (two billing systems, or a bailiff's event ids, may reuse one).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('payment')
    .addColumn('reversed_on', 'date')
    .addColumn('reversal_reason', 'text')
    .execute();
  await sql`alter table payment drop constraint payment_pkey`.execute(db);
  await sql`alter table payment add primary key (case_id, transaction_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table payment drop constraint payment_pkey`.execute(db);
  await sql`alter table payment add primary key (transaction_id)`.execute(db);
  await db.schema.alterTable('payment').dropColumn('reversed_on').dropColumn('reversal_reason').execute();
}
