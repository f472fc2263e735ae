import { sql, type Kysely } from 'kysely';

/**
 * Monthly advances collected by SEPA direct debit (issue 13, domain.md §11). Who collects
 * (`creditor`), from whom (`occupancy` with its mandate and advance as versions, never edited in
 * place), the runs and their debits. The occupant's personal data lives here only: workflows know
 * ids, amounts and dates. `direct_debit` is read by the bank import (end-to-end id → occupancy).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('creditor')
    .addColumn('creditor_id', 'text', (c) => c.primaryKey())
    /** The client whose occupants are debited (and whose collection tracks take what stays unpaid). */
    .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporation.corporation_id'))
    /** `Cdtr/Nm`: the account holder whose creditor identifier the mandates name. */
    .addColumn('name', 'text', (c) => c.notNull())
    /** `InitgPty/Nm`: the provider that submits the files (the same party in provider_account mode). */
    .addColumn('initiating_party_name', 'text', (c) => c.notNull())
    .addColumn('creditor_identifier', 'text', (c) => c.notNull())
    .addColumn('iban', 'text', (c) => c.notNull())
    .addColumn('bic', 'text')
    .addColumn('account_mode', 'text', (c) => c.notNull().check(sql`account_mode in ('provider_account', 'client_account')`))
    .addColumn('pain_version', 'text', (c) => c.notNull().check(sql`pain_version in ('pain.008.001.02', 'pain.008.001.08')`))
    .addColumn('collection_day', 'integer', (c) => c.notNull().check(sql`collection_day between 1 and 28`))
    .addColumn('collection_day_shift', 'text', (c) => c.notNull().defaultTo('later').check(sql`collection_day_shift in ('earlier', 'later')`))
    .addColumn('prenotice_days', 'integer', (c) => c.notNull().defaultTo(14).check(sql`prenotice_days between 1 and 60`))
    .addColumn('max_per_debit', sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn('max_run_total', sql`numeric(14,2)`, (c) => c.notNull())
    .addColumn('runs_per_month', 'integer', (c) => c.notNull().check(sql`runs_per_month between 2 and 4`))
    /** TARGET2 business days between the month's runs (the later runs take retries and split excess). */
    .addColumn('run_interval_days', 'integer', (c) => c.notNull().defaultTo(7))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('creditor_corporation').on('creditor').column('corporation_id').execute();

  await db.schema
    .createTable('occupancy')
    .addColumn('occupancy_id', 'text', (c) => c.primaryKey())
    .addColumn('creditor_id', 'text', (c) => c.notNull().references('creditor.creditor_id'))
    .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporation.corporation_id'))
    .addColumn('contract_ref', 'text', (c) => c.notNull())
    .addColumn('unit_ref', 'text', (c) => c.notNull())
    .addColumn('occupant_name', 'text', (c) => c.notNull())
    .addColumn('occupant_street', 'text', (c) => c.notNull())
    .addColumn('occupant_postal_code', 'text', (c) => c.notNull())
    .addColumn('occupant_city', 'text', (c) => c.notNull())
    .addColumn('occupant_email', 'text')
    .addColumn('occupant_iban', 'text')
    .addColumn('moved_in_on', 'date', (c) => c.notNull())
    .addColumn('moved_out_on', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('occupancy_creditor').on('occupancy').column('creditor_id').execute();
  await db.schema.createIndex('occupancy_contract').on('occupancy').columns(['corporation_id', 'contract_ref']).execute();

  await db.schema
    .createTable('occupancy_mandate')
    .addColumn('occupancy_id', 'text', (c) => c.notNull().references('occupancy.occupancy_id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('mandate_id', 'text', (c) => c.notNull())
    .addColumn('signed_on', 'date', (c) => c.notNull())
    .addColumn('iban', 'text', (c) => c.notNull())
    .addColumn('bic', 'text')
    .addColumn('valid_from', 'date', (c) => c.notNull())
    /** What changed against the previous version: `{ mandateId?: {from,to}, iban?: {from,to}, changedBank? }`. */
    .addColumn('amended', 'jsonb')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('occupancy_mandate_pk', ['occupancy_id', 'version'])
    .execute();

  await db.schema
    .createTable('occupancy_advance')
    .addColumn('advance_id', 'bigserial', (c) => c.primaryKey())
    .addColumn('occupancy_id', 'text', (c) => c.notNull().references('occupancy.occupancy_id'))
    /** `YYYY-MM`: the first month this amount applies to; the latest recording for a month wins. */
    .addColumn('from_month', 'text', (c) => c.notNull().check(sql`from_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`))
    .addColumn('amount', sql`numeric(12,2)`, (c) => c.notNull().check(sql`amount >= 0`))
    .addColumn('requested_by', 'text', (c) => c.notNull().check(sql`requested_by in ('client', 'occupant')`))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('occupancy_advance_month').on('occupancy_advance').columns(['occupancy_id', 'from_month']).execute();

  await db.schema
    .createTable('direct_debit_run')
    .addColumn('run_id', 'text', (c) => c.primaryKey())
    .addColumn('creditor_id', 'text', (c) => c.notNull().references('creditor.creditor_id'))
    .addColumn('corporation_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    /** 1 for the month's main run; later runs take retries and what the first could not hold. */
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('collection_date', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('planned', 'prenotified', 'submitted', 'settled', 'empty', 'refused')`))
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('pain_version', 'text')
    .addColumn('xml', 'text')
    .addColumn('file_path', 'text')
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', sql`numeric(14,2)`, (c) => c.notNull().defaultTo('0.00'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('direct_debit_run_month_sequence', ['creditor_id', 'month', 'sequence'])
    .execute();

  await db.schema
    .createTable('direct_debit')
    .addColumn('end_to_end_id', 'text', (c) => c.primaryKey().check(sql`length(end_to_end_id) <= 35`))
    .addColumn('run_id', 'text', (c) => c.notNull().references('direct_debit_run.run_id'))
    .addColumn('creditor_id', 'text', (c) => c.notNull())
    .addColumn('corporation_id', 'text', (c) => c.notNull())
    .addColumn('occupancy_id', 'text', (c) => c.notNull().references('occupancy.occupancy_id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('amount', sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn('collection_date', 'date', (c) => c.notNull())
    .addColumn('sequence_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('planned', 'submitted', 'collected', 'rejected', 'returned', 'refunded', 'withheld')`),
    )
    .addColumn('reason_code', 'text')
    /** The mandate version the debit was drawn under, and the amendment it carries (AmdmntInd). */
    .addColumn('mandate_version', 'integer', (c) => c.notNull())
    .addColumn('amendment', 'jsonb')
    /** Why a debit was not sent (over the per-debit or run limit): the operator task says the same. */
    .addColumn('withheld_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('direct_debit_occupancy_month_attempt', ['occupancy_id', 'month', 'attempt'])
    .execute();
  await db.schema.createIndex('direct_debit_run_idx').on('direct_debit').column('run_id').execute();
  await db.schema.createIndex('direct_debit_corporation_idx').on('direct_debit').columns(['corporation_id', 'collection_date']).execute();

  /** Operator tasks of the collection service: debits withheld over a bank limit, and why. */
  await db.schema
    .createTable('direct_debit_task')
    .addColumn('task_id', 'text', (c) => c.primaryKey())
    .addColumn('creditor_id', 'text', (c) => c.notNull())
    .addColumn('corporation_id', 'text', (c) => c.notNull())
    .addColumn('occupancy_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('end_to_end_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('over_max_per_debit', 'over_max_run_total', 'no_mandate')`))
    .addColumn('amount', sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn('limit_amount', sql`numeric(14,2)`)
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'done')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('direct_debit_task_worklist').on('direct_debit_task').columns(['corporation_id', 'status']).execute();

  /** One pre-notification per occupancy and month (the letter's id keeps a retried send single). */
  await db.schema
    .createTable('direct_debit_prenotice')
    .addColumn('occupancy_id', 'text', (c) => c.notNull().references('occupancy.occupancy_id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('letter_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('amount', sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn('collection_date', 'date', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('direct_debit_prenotice_pk', ['occupancy_id', 'month'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['direct_debit_prenotice', 'direct_debit_task', 'direct_debit', 'direct_debit_run', 'occupancy_advance', 'occupancy_mandate', 'occupancy', 'creditor']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
