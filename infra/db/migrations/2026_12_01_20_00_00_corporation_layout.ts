import type { Kysely } from 'kysely';

/**
 * The corporation's letterhead (address and contact lines, IBAN and BIC) and, with each letter,
 * the PDF that was sent: its bytes, their SHA-256 and page count, so a court can be shown exactly
 * what a tenant received. The template version was already stored (letter.template).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('corporation')
    .addColumn('address_lines', 'jsonb', (c) => c.notNull().defaultTo('[]'))
    .addColumn('contact_lines', 'jsonb', (c) => c.notNull().defaultTo('[]'))
    .addColumn('iban', 'text')
    .addColumn('bic', 'text')
    .execute();
  await db.schema.alterTable('letter').addColumn('pdf', 'bytea').addColumn('sha256', 'text').addColumn('pages', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('letter').dropColumn('pdf').dropColumn('sha256').dropColumn('pages').execute();
  await db.schema.alterTable('corporation').dropColumn('address_lines').dropColumn('contact_lines').dropColumn('iban').dropColumn('bic').execute();
}
