import { sql, type Kysely } from 'kysely';

/**
 * A direct-debit pre-notification leaves through the letters' carriers (the mail house, the SMTP
 * relay) with the same exactly-once dispatch as a letter: the PDF and the text are stored with the
 * notice, and its dispatch is the same small state machine (dispatch-once.ts). Notices from before
 * were written to a drop folder when stored: they count as sent.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('direct_debit_prenotice')
    .addColumn('posted_on', 'date')
    .addColumn('template_version', 'text')
    .addColumn('body', 'text')
    .addColumn('pdf', 'bytea')
    .addColumn('sha256', 'text')
    .addColumn('pages', 'integer')
    .addColumn('dispatch_state', 'text', (c) => c.notNull().defaultTo('sent'))
    .addColumn('dispatch_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sending_since', 'timestamptz')
    .addColumn('dispatched_at', 'timestamptz')
    .addColumn('provider', 'text')
    .addColumn('provider_reference', 'text')
    .addColumn('delivered_on', 'date')
    .addColumn('delivery_basis', 'text')
    .execute();
  await sql`alter table direct_debit_prenotice alter column dispatch_state set default 'pending'`.execute(db);
  await sql`alter table direct_debit_prenotice add constraint direct_debit_prenotice_dispatch_state check (dispatch_state in ('pending', 'sending', 'sent'))`.execute(db);
  await sql`create unique index direct_debit_prenotice_letter_id on direct_debit_prenotice (letter_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists direct_debit_prenotice_letter_id`.execute(db);
  await sql`alter table direct_debit_prenotice drop constraint if exists direct_debit_prenotice_dispatch_state`.execute(db);
  for (const column of ['posted_on', 'template_version', 'body', 'pdf', 'sha256', 'pages', 'dispatch_state', 'dispatch_attempts', 'sending_since', 'dispatched_at', 'provider', 'provider_reference', 'delivered_on', 'delivery_basis']) {
    await db.schema.alterTable('direct_debit_prenotice').dropColumn(column).execute();
  }
}
