import { sql, type Kysely } from 'kysely';

/**
 * The creditor identifier a run's file was sent under. A creditor whose identifier changes (a new
 * incassant-ID, a client's collection taken over) must say so on each mandate's next debit
 * (AmdmntInd with OrgnlCdtrSchmeId, SDD Core rulebook AT-03 and AT-18): the debtor's bank compares
 * with what it last saw, so what each run carried is kept, not only the creditor's current one.
 * Runs sent before this column existed went under the creditor's identifier as it stands.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('direct_debit_run').addColumn('creditor_identifier', 'text').execute();
  await sql`
    update direct_debit_run r set creditor_identifier = c.creditor_identifier
    from creditor c where c.creditor_id = r.creditor_id and r.xml is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('direct_debit_run').dropColumn('creditor_identifier').execute();
}
