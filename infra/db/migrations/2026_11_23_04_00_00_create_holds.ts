import { sql, type Kysely } from 'kysely';

/**
 * Segment-wide holds: an operator pauses every running track of a corporation (and a segment, or
 * the tracks a visibility query picks) at once, and releases them later. The row is written before
 * the start signal goes out, so a track that opens meanwhile finds the hold (activeHolds); the
 * batch job ids record which Temporal batch operation carried each signal. The operator's reason
 * stays here: Temporal only hears the hold's id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hold')
    .addColumn('hold_id', 'text', (c) => c.primaryKey())
    .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporation.corporation_id'))
    .addColumn('segment', 'text')
    /** The operator's extra filter, in the canonical form the API rebuilt it in. */
    .addColumn('visibility_query', 'text')
    .addColumn('reason', 'text')
    .addColumn('from_date', 'date', (c) => c.notNull())
    .addColumn('released_on', 'date')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('released_by', 'text')
    .addColumn('start_batch_job_id', 'text')
    .addColumn('release_batch_job_id', 'text')
    /** How many tracks were signalled one by one, where the server offers no batch operations. */
    .addColumn('start_matched', 'integer')
    .addColumn('release_matched', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('hold_corporation_active').on('hold').columns(['corporation_id', 'released_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hold').ifExists().execute();
}
