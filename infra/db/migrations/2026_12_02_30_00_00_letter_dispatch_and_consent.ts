import { sql, type Kysely } from 'kysely';

/**
 * Letters on real channels (issue 11): each letter records its dispatch as a small state machine
 * (pending → sending → sent, with the attempt count and the carrier's reference: the e-mail's
 * Message-ID, the mail house's batch, the SMS gateway's id), and its delivery with the basis it
 * rests on (presumed, registered post, SMTP acceptance, gateway acceptance). Letters from before
 * this migration were written to their drop folder when stored: they count as sent.
 *
 * The tenant's consent per digital channel is kept per case (no consent → post), and a corporation
 * may send its 14-day letters registered.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('letter')
    .addColumn('dispatch_state', 'text', (c) => c.notNull().defaultTo('sent'))
    .addColumn('dispatch_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sending_since', 'timestamptz')
    .addColumn('dispatched_at', 'timestamptz')
    .addColumn('provider', 'text')
    .addColumn('provider_reference', 'text')
    .addColumn('delivery_basis', 'text')
    .addColumn('delivery_evidence', 'text')
    .addColumn('tracking_code', 'text')
    .addColumn('delivery_reported_at', 'timestamptz')
    .execute();
  await sql`alter table letter add constraint letter_dispatch_state check (dispatch_state in ('pending', 'sending', 'sent'))`.execute(db);
  await db.schema.alterTable('corporation').addColumn('wik_letter_registered', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await db.schema
    .createTable('debtor_consent')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey().references('collection_case.case_id').onDelete('cascade'))
    .addColumn('email', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('sms', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('whatsapp', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('debtor_consent').execute();
  await db.schema.alterTable('corporation').dropColumn('wik_letter_registered').execute();
  await sql`alter table letter drop constraint letter_dispatch_state`.execute(db);
  for (const column of ['dispatch_state', 'dispatch_attempts', 'sending_since', 'dispatched_at', 'provider', 'provider_reference', 'delivery_basis', 'delivery_evidence', 'tracking_code', 'delivery_reported_at']) {
    await db.schema.alterTable('letter').dropColumn(column).execute();
  }
}
