import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('corporation').addColumn('bailiff_office_id', 'text', (c) => c.references('bailiff_office.office_id')).execute();
  await db.schema
    .alterTable('collection_case')
    .addColumn('bailiff_office_id', 'text', (c) => c.references('bailiff_office.office_id'))
    .addColumn('handed_over_on', 'date')
    .execute();
  await db.schema
    .createTable('bailiff_instruction')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('office_id', 'text', (c) => c.notNull().references('bailiff_office.office_id'))
    .addColumn('instruction', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('bailiff_instruction_case').on('bailiff_instruction').column('case_id').execute();
  await db.schema
    .createTable('case_note')
    .addColumn('note_id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('collection_case.case_id'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_note').ifExists().execute();
  await db.schema.dropTable('bailiff_instruction').ifExists().execute();
  await db.schema.alterTable('collection_case').dropColumn('handed_over_on').dropColumn('bailiff_office_id').execute();
  await db.schema.alterTable('corporation').dropColumn('bailiff_office_id').execute();
}
