import { sql, type Kysely } from 'kysely';

/**
 * A bank line's counterparty name, IBAN and free text are personal data (AVG art. 5(1)(e)): the
 * retention job scrubs them with the case the line was booked to, and a line booked to no case
 * once the corporation's retention period has passed since its booking date. The day it did so.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bank_entry').addColumn('anonymised_on', 'date').execute();
  await db.schema.createIndex('bank_entry_retention').on('bank_entry').columns(['booking_date']).where(sql.ref('case_id'), 'is', null).where(sql.ref('anonymised_on'), 'is', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('bank_entry_retention').execute();
  await db.schema.alterTable('bank_entry').dropColumn('anonymised_on').execute();
}
