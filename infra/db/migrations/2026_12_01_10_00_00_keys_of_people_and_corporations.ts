import { sql, type Kysely } from 'kysely';

/**
 * Issue 10, part A. An API key belongs to a person and to the corporations whose cases it may
 * touch; a revoked key stays (revoked_at), so the audit trail can still name it. The audit trail
 * names the person, the key and the corporation of every decision and every read of personal data.
 *
 * Keys made before this have no person and no corporation. Their label becomes the person (it named
 * whom the key was given to). An admin key becomes a platform admin key, as it was in effect; the
 * installation needs one to manage the others. Any other key is bound to the one corporation when
 * the installation has exactly one (the access it had, and the only one it can have meant); with
 * several, it is bound to none and sees nothing until replaced by a key made for its corporations:
 * which corporation it served cannot be told, and guessing would keep the leak this closes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_key')
    .addColumn('key_id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`).unique())
    .addColumn('person', 'text')
    .addColumn('corporation_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await sql`update api_key set person = label`.execute(db);
  await sql`
    update api_key set corporation_ids = array[(select corporation_id from corporation)]
    where role not in ('admin', 'bailiff') and (select count(*) from corporation) = 1
  `.execute(db);
  await sql`alter table api_key alter column person set not null`.execute(db);

  await db.schema
    .alterTable('audit_log')
    .addColumn('kind', 'text')
    .addColumn('person', 'text')
    .addColumn('key_id', 'uuid')
    .addColumn('corporation_id', 'text')
    .execute();
  await db.schema.createIndex('audit_log_corporation').on('audit_log').columns(['corporation_id', 'audit_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_corporation').execute();
  await db.schema.alterTable('audit_log').dropColumn('kind').dropColumn('person').dropColumn('key_id').dropColumn('corporation_id').execute();
  await db.schema.alterTable('api_key').dropColumn('key_id').dropColumn('person').dropColumn('corporation_ids').dropColumn('revoked_at').execute();
}
