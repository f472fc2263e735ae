import { sql, type Kysely } from 'kysely';

/** A dispute parks the track and goes to the worklist of whoever handles complaints (domain.md §8). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table task drop constraint task_kind_check, add constraint task_kind_check check (kind in ('call', 'visit', 'dispute'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table task drop constraint task_kind_check, add constraint task_kind_check check (kind in ('call', 'visit'))`.execute(db);
}
