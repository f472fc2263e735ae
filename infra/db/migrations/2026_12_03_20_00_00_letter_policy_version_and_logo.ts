import type { Kysely } from 'kysely';

/**
 * Two things a letter prints or answers to that were not kept: the collection policy version the
 * track sent it under (a court may ask which rules governed the step; null for letters from
 * before), and the corporation's logo for its letterhead (the image bytes as validated at the
 * edge, and their type, which decides how the PDF embeds them).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('letter').addColumn('policy_version', 'integer').execute();
  await db.schema.alterTable('corporation').addColumn('logo', 'bytea').addColumn('logo_type', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('corporation').dropColumn('logo').dropColumn('logo_type').execute();
  await db.schema.alterTable('letter').dropColumn('policy_version').execute();
}
