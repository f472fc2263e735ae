import { sql, type Kysely } from 'kysely';

/**
 * The debtor's details get a history: every version with who changed it and when, the `debtor` row
 * staying the current one, and each letter records the version it was addressed with (a court may
 * ask who a letter went to). Letters from before have none.
 *
 * collection_case gets the stage its track last wrote (with the events of the read model), so a
 * case can be found by stage from Postgres alone; null until the track writes it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('debtor').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema
    .createTable('debtor_version')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('street', 'text', (c) => c.notNull())
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('iban', 'text')
    .addColumn('bsn', 'text')
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('debtor_version_pk', ['case_id', 'version'])
    .execute();
  // The details on record become version 1 of their case.
  await sql`
    insert into debtor_version (case_id, version, name, street, postal_code, city, email, phone, iban, bsn, changed_by, changed_at)
    select case_id, 1, name, street, postal_code, city, email, phone, iban, bsn, 'recorded before the debtor history', updated_at from debtor
  `.execute(db);
  await db.schema.alterTable('letter').addColumn('debtor_version', 'integer').execute();

  await db.schema.alterTable('collection_case').addColumn('stage', 'text').addColumn('closed_reason', 'text').execute();
  await db.schema.createIndex('collection_case_listing').on('collection_case').columns(['created_at', 'case_id']).execute();
  await db.schema.createIndex('collection_case_stage').on('collection_case').columns(['stage', 'created_at', 'case_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('collection_case_stage').execute();
  await db.schema.dropIndex('collection_case_listing').execute();
  await db.schema.alterTable('collection_case').dropColumn('stage').dropColumn('closed_reason').execute();
  await db.schema.alterTable('letter').dropColumn('debtor_version').execute();
  await db.schema.dropTable('debtor_version').execute();
  await db.schema.alterTable('debtor').dropColumn('version').execute();
}
