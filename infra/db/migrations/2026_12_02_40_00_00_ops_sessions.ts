import { sql, type Kysely } from 'kysely';

/**
 * The operations page's sign-in sessions (services/api/ops/): the cookie's value is a bearer
 * secret, so only its hash is stored, as with API keys. A session belongs to the key it was opened
 * with: revoking the key ends it (the lookup joins api_key), and deleting the key's row takes its
 * sessions along.
 *
 * Also an index for the page's worklist, soonest expiry first among open tasks: the worklist reads
 * a page of open tasks in (expires_on, task_id) order, whatever their number.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ops_session')
    .addColumn('session_hash', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'uuid', (c) => c.notNull().references('api_key.key_id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ops_session_key').on('ops_session').column('key_id').execute();
  await db.schema.createIndex('ops_session_expires').on('ops_session').column('expires_at').execute();
  await db.schema.createIndex('task_open_by_expiry').on('task').columns(['expires_on', 'task_id']).where(sql.ref('status'), '=', 'open').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('task_open_by_expiry').execute();
  await db.schema.dropTable('ops_session').execute();
}
