import { sql, type Kysely } from 'kysely';

/**
 * A bank line that is one of our own direct debits (issue 13): a return or refund told to the
 * occupancy's advance account, or the credit of a collection run. It is settled, but not as a
 * tenant's payment on a case and not on the worklist: a fate of its own.
 */
const fates = (extra: readonly string[]) =>
  sql.raw(["'pending'", "'matched'", "'reversal'", "'unmatched'", "'ignored'", "'refund'", "'not_ours'", ...extra.map((f) => `'${f}'`)].join(', '));

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table bank_entry drop constraint bank_entry_fate_check`.execute(db);
  await sql`alter table bank_entry add constraint bank_entry_fate_check check (fate in (${fates(['direct_debit'])}))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table bank_entry drop constraint bank_entry_fate_check`.execute(db);
  await sql`alter table bank_entry add constraint bank_entry_fate_check check (fate in (${fates([])}))`.execute(db);
}
