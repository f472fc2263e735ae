import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('corporation')
    .addColumn('corporation_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('vat_surcharge', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('collection_case')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey())
    .addColumn('corporation_id', 'text', (c) => c.notNull())
    .addColumn('contract_ref', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull().unique())
    .addColumn('proposed_segment', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('collection_case_contract', ['corporation_id', 'contract_ref'])
    .execute();

  await db.schema
    .createTable('debtor')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey().references('collection_case.case_id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('street', 'text', (c) => c.notNull())
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('iban', 'text')
    .addColumn('bsn', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('claim')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('invoice_ref', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('amount', sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn('due_date', 'date', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('claim_pk', ['case_id', 'invoice_ref'])
    .execute();

  await db.schema
    .createTable('payment')
    .addColumn('transaction_id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('amount', sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn('booked_on', 'date', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('letter')
    .addColumn('letter_id', 'uuid', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('posted_on', 'date', (c) => c.notNull())
    .addColumn('delivered_on', 'date')
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('facts', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('letter_case').on('letter').column('case_id').execute();

  await db.schema
    .createTable('payment_reference')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey().references('collection_case.case_id'))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('municipality_signal')
    .addColumn('signal_id', 'uuid', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('arrears', sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn('signal_date', 'date', (c) => c.notNull())
    .addColumn('receipt', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('bailiff_office')
    .addColumn('office_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_key')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('bailiff_office_id', 'text', (c) => c.references('bailiff_office.office_id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('audit_id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('case_id', 'uuid')
    .addColumn('detail', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_case').on('audit_log').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log', 'api_key', 'bailiff_office', 'municipality_signal', 'payment_reference',
    'letter', 'payment', 'claim', 'debtor', 'collection_case', 'corporation',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
