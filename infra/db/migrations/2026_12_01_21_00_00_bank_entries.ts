import { sql, type Kysely } from 'kysely';

/**
 * Bank statement imports (issue 12). Each booking line of a bank file is stored once, under a key
 * of its own (the bank's AcctSvcrRef, or a hash of what identifies it when the bank leaves that
 * out): importing a file twice, or one that overlaps, finds its lines already there. An import
 * remembers what became of each line it carried, the duplicates included.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bank_import')
    .addColumn('import_id', 'text', (c) => c.primaryKey())
    .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporation.corporation_id'))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addColumn('counts', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('bank_entry')
    .addColumn('entry_id', 'text', (c) => c.primaryKey())
    .addColumn('entry_key', 'text', (c) => c.notNull().unique())
    .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporation.corporation_id'))
    .addColumn('first_import_id', 'text', (c) => c.notNull().references('bank_import.import_id'))
    .addColumn('account_iban', 'text', (c) => c.notNull())
    .addColumn('booking_date', 'date', (c) => c.notNull())
    .addColumn('amount', 'numeric(17, 2)', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('CRDT', 'DBIT')`))
    .addColumn('reversal', 'boolean', (c) => c.notNull())
    .addColumn('bank_tx_code', 'text')
    .addColumn('return_reason', 'text')
    .addColumn('end_to_end_id', 'text')
    .addColumn('structured_ref', 'text')
    .addColumn('free_text', 'text')
    .addColumn('counter_iban', 'text')
    .addColumn('counter_name', 'text')
    // pending: stored, not yet settled (a retried import picks it up again).
    .addColumn('fate', 'text', (c) => c.notNull().check(sql`fate in ('pending', 'matched', 'reversal', 'unmatched', 'ignored', 'refund', 'not_ours')`))
    .addColumn('match_rule', 'text')
    .addColumn('case_id', 'uuid', (c) => c.references('collection_case.case_id'))
    .addColumn('transaction_id', 'text')
    /** For a reversal: the payment it undid. */
    .addColumn('reverses_transaction_id', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('bank_entry_worklist').on('bank_entry').columns(['corporation_id', 'fate']).execute();
  await db.schema.createIndex('bank_entry_case').on('bank_entry').column('case_id').execute();
  await db.schema
    .createTable('bank_import_entry')
    .addColumn('import_id', 'text', (c) => c.notNull().references('bank_import.import_id'))
    .addColumn('entry_id', 'text', (c) => c.notNull().references('bank_entry.entry_id'))
    .addColumn('duplicate', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('bank_import_entry_pk', ['import_id', 'entry_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bank_import_entry').execute();
  await db.schema.dropTable('bank_entry').execute();
  await db.schema.dropTable('bank_import').execute();
}
