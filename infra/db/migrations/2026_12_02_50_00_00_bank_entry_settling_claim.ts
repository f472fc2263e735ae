import type { Kysely } from 'kysely';

/**
 * Which import is settling a pending bank line, and since when. Two imports of the same file at
 * once both found its lines pending and both settled them: the payment was booked once (the track
 * dedups by transaction id) but both answers counted it (npm run drill bank-file). The claim makes
 * one import settle each line; a claim left by a process that died lapses after a lease.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bank_entry').addColumn('settling_import_id', 'uuid').addColumn('settling_since', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bank_entry').dropColumn('settling_import_id').dropColumn('settling_since').execute();
}
