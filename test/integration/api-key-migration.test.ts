import { Migrator, sql, type Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../infra/db/connection.js';
import type { Database } from '../../infra/db/database.js';
import { migrations } from '../../infra/db/migrations/index.js';

/**
 * Issue 10, part A: keys made before keys had people and corporations. The label becomes the
 * person; an admin key becomes the platform admin; any other key is bound to the installation's
 * corporation when it has exactly one, and to none (it sees nothing) when it has several.
 */

const before = '2026_12_01_01_00_00_debtor_versions_and_case_stage';
const ours = '2026_12_01_10_00_00_keys_of_people_and_corporations';
const made: { name: string; db: Kysely<Database> }[] = [];

async function databaseAt(migration: string): Promise<Kysely<Database>> {
  const adminUrl = inject('databaseAdminUrl');
  const name = `hi_key_migration_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDatabase(url.toString(), { max: 2 });
  made.push({ name, db });
  await migrateTo(db, migration);
  return db;
}

async function migrateTo(db: Kysely<Database>, migration: string) {
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(migration);
  if (error) throw error;
}

afterAll(async () => {
  const adminUrl = inject('databaseAdminUrl');
  for (const { name, db } of made) {
    await db.destroy();
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
});

async function keysBefore(db: Kysely<Database>, corporations: string[]) {
  for (const id of corporations) await sql`insert into corporation (corporation_id, name, vat_surcharge) values (${id}, ${id}, false)`.execute(db);
  await sql`insert into bailiff_office (office_id, name) values ('gdw', 'GDW')`.execute(db);
  await sql`
    insert into api_key (key_hash, role, bailiff_office_id, label) values
      ('h-billing', 'billing', null, 'Facturatie Jan'),
      ('h-operator', 'operator', null, 'Olga'),
      ('h-admin', 'admin', null, 'Beheer'),
      ('h-bailiff', 'bailiff', 'gdw', 'GDW portal')
  `.execute(db);
}

const keysAfter = (db: Kysely<Database>) =>
  db.selectFrom('api_key').select(['key_hash', 'person', 'corporation_ids', 'bailiff_office_id', 'revoked_at', 'key_id']).orderBy('key_hash').execute();

describe('the migration of existing API keys', () => {
  it('binds the keys of a one-corporation installation to it, and makes the admin key the platform admin', async () => {
    const db = await databaseAt(before);
    await keysBefore(db, ['enige-corp']);
    await migrateTo(db, ours);
    expect(await keysAfter(db)).toEqual([
      { key_hash: 'h-admin', person: 'Beheer', corporation_ids: [], bailiff_office_id: null, revoked_at: null, key_id: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      { key_hash: 'h-bailiff', person: 'GDW portal', corporation_ids: [], bailiff_office_id: 'gdw', revoked_at: null, key_id: expect.any(String) },
      { key_hash: 'h-billing', person: 'Facturatie Jan', corporation_ids: ['enige-corp'], bailiff_office_id: null, revoked_at: null, key_id: expect.any(String) },
      { key_hash: 'h-operator', person: 'Olga', corporation_ids: ['enige-corp'], bailiff_office_id: null, revoked_at: null, key_id: expect.any(String) },
    ]);
  });

  it('binds no corporation to a non-admin key where several exist: which one it served cannot be told', async () => {
    const db = await databaseAt(before);
    await keysBefore(db, ['corp-a', 'corp-b']);
    await migrateTo(db, ours);
    const keys = await keysAfter(db);
    expect(keys.map((k) => [k.key_hash, k.corporation_ids])).toEqual([
      ['h-admin', []],
      ['h-bailiff', []],
      ['h-billing', []],
      ['h-operator', []],
    ]);
    expect(new Set(keys.map((k) => k.key_id)).size).toBe(4);
  });
});
