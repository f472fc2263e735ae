import { sql, type Kysely } from 'kysely';

/**
 * Each corporation's collection policy, one row per version: a change is a new version, never an
 * edit, so a track's record of "version 3 governed this letter" stays checkable afterwards.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('collection_policy')
    .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporation.corporation_id'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('policy', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('collection_policy_pk', ['corporation_id', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('collection_policy').execute();
}
