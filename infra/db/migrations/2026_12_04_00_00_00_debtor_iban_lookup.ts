import { sql, type Kysely } from 'kysely';

/**
 * The bank import's last match rule looks a statement line's counter IBAN up among the debtors'
 * IBANs, written as the billing system sent them (older rows may hold spaces or lower case):
 * without an index on that normal form every import read the whole debtor table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index debtor_iban_normalised on debtor (upper(replace(iban, ' ', ''))) where iban is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists debtor_iban_normalised`.execute(db);
}
