import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../infra/db/connection.js';
import type { Database } from '../../infra/db/database.js';
import { projectRoot } from '../../infra/paths.js';
import { hashApiKey } from '../../infra/db/api-key-store.js';
import { authenticate, type Caller } from '../../services/api/auth.js';
import { HttpError } from '../../services/http/errors.js';
import { runAdmin } from '../../infra/admin/run-admin.js';

/**
 * `npm run admin`: sets up a real installation without code, against a database with no tables
 * at all, as a fresh installation has. The commands run in this process through the CLI's own
 * runAdmin (argv, environment, stdout and stderr as cli.ts passes them); the entry itself runs as
 * a child process once, through `npm run admin` as the README says. A child per command cost
 * about a second each.
 */

let adminUrl: string;
let databaseName: string;
let url: string;
let db: Kysely<Database>;

beforeAll(async () => {
  adminUrl = inject('databaseAdminUrl');
  databaseName = `hi_admin_cli_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`create database ${databaseName}`);
  await client.end();
  const parsed = new URL(adminUrl);
  parsed.pathname = `/${databaseName}`;
  url = parsed.toString();
  db = createDatabase(url, { max: 2 });
});

afterAll(async () => {
  await db?.destroy();
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`drop database if exists ${databaseName} with (force)`);
  await client.end();
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function admin(args: readonly string[], env: Record<string, string | undefined> = { DATABASE_URL: url }): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runAdmin(args, { env, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

/** The API's own check of a bearer key (auth.ts), as a request would meet it. */
async function callerOf(key: string): Promise<Caller> {
  const request = { header: (name: string) => (name.toLowerCase() === 'authorization' ? `Bearer ${key}` : undefined) } as unknown as Request;
  const response = { locals: {} } as Response;
  let passed = false;
  await authenticate(db)(request, response, () => (passed = true));
  expect(passed).toBe(true);
  return response.locals.caller as Caller;
}

const newKeyFrom = (result: Run) => {
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
};

const snapshot = async () => ({
  corporations: await db.selectFrom('corporation').selectAll().orderBy('corporation_id').execute(),
  offices: await db.selectFrom('bailiff_office').selectAll().orderBy('office_id').execute(),
  keys: await db.selectFrom('api_key').selectAll().orderBy('key_hash').execute(),
});

describe('npm run admin', () => {
  it('sets up a fresh installation: migrates, adds an office, a corporation and keys that authenticate as made', async () => {
    expect((await admin(['bailiff-office', 'add', 'gdw-noord', '--name', 'Gerechtsdeurwaarders Noord'])).code).toBe(0);
    const added = await admin(['corporation', 'add', 'acme', '--name', 'Acme Wonen', '--bailiff-office', 'gdw-noord', '--vat-surcharge', '--rented-units', '1200']);
    expect(added).toMatchObject({ code: 0, stdout: 'added corporation acme\n' });
    expect(await db.selectFrom('corporation').selectAll().where('corporation_id', '=', 'acme').executeTakeFirst()).toMatchObject({
      name: 'Acme Wonen',
      vat_surcharge: true,
      bailiff_office_id: 'gdw-noord',
      rented_units: 1200,
    });
    // Through the package.json script, as the README tells an administrator to run it.
    const listed = await run('npm', ['run', '--silent', 'admin', '--', 'corporation', 'list'], { DATABASE_URL: url });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^acme\s+Acme Wonen\s+yes\s+gdw-noord\s+1200$/m);

    const billingKey = newKeyFrom(await admin(['key', 'add', '--role', 'billing', '--person', 'Jan de Vries', '--label', 'Jan de Vries (billing)', '--corporation', 'acme']));
    const bailiffKey = newKeyFrom(await admin(['key', 'add', '--role', 'bailiff', '--person', 'GDW Noord portal', '--bailiff-office', 'gdw-noord']));
    const platformKey = newKeyFrom(await admin(['key', 'add', '--role', 'admin', '--person', 'Petra Platform']));
    expect(await callerOf(billingKey)).toMatchObject({ role: 'billing', person: 'Jan de Vries', keyLabel: 'Jan de Vries (billing)', corporationIds: ['acme'], bailiffOfficeId: null });
    expect(await callerOf(bailiffKey)).toMatchObject({ role: 'bailiff', person: 'GDW Noord portal', keyLabel: 'GDW Noord portal', corporationIds: [], bailiffOfficeId: 'gdw-noord' });
    // An admin key without a corporation is the platform admin's.
    expect(await callerOf(platformKey)).toMatchObject({ role: 'admin', person: 'Petra Platform', corporationIds: [], bailiffOfficeId: null });

    // Stored as hashes only, and never shown again.
    const stored = await db.selectFrom('api_key').select(['key_hash', 'label']).execute();
    expect(stored.map((row) => row.key_hash).sort()).toEqual([hashApiKey(billingKey), hashApiKey(bailiffKey), hashApiKey(platformKey)].sort());
    expect(JSON.stringify(stored)).not.toContain(billingKey);
    const keyList = await admin(['key', 'list']);
    expect(keyList.code).toBe(0);
    expect(keyList.stdout).toContain('Jan de Vries (billing)');
    expect(keyList.stdout).toMatch(/Jan de Vries\s+Jan de Vries \(billing\)\s+acme\s/);
    expect(keyList.stdout).toMatch(/Petra Platform\s+Petra Platform\s+\(platform\)\s/);
    expect(keyList.stdout).toContain((await callerOf(billingKey)).keyId);
    expect(keyList.stdout).toContain(hashApiKey(bailiffKey).slice(0, 12));
    expect(keyList.stdout + keyList.stderr).not.toContain(billingKey);
    expect(keyList.stdout + keyList.stderr).not.toContain(bailiffKey);

    // Revoked by label, and by the hash prefix `key list` shows: both stop working at once.
    expect(await admin(['key', 'revoke', 'Jan de Vries (billing)'])).toMatchObject({ code: 0 });
    expect(await admin(['key', 'revoke', hashApiKey(bailiffKey).slice(0, 12)])).toMatchObject({ code: 0 });
    for (const key of [billingKey, bailiffKey]) {
      await expect(callerOf(key)).rejects.toSatisfy((error) => error instanceof HttpError && error.status === 401);
    }
    // Kept, revoked, so the audit trail can still name them; a revoked label may be given again.
    const revokedRows = await db.selectFrom('api_key').select(['person', 'revoked_at']).where('key_hash', 'in', [hashApiKey(billingKey), hashApiKey(bailiffKey)]).execute();
    expect(revokedRows.every((row) => row.revoked_at instanceof Date)).toBe(true);
    expect(await admin(['key', 'revoke', 'Jan de Vries (billing)'])).toMatchObject({ code: 2 });
    newKeyFrom(await admin(['key', 'add', '--role', 'billing', '--person', 'Jan de Vries', '--label', 'Jan de Vries (billing)', '--corporation', 'acme']));
  });

  it('refuses bad input with exit code 2 and one line, changing nothing', async () => {
    expect((await admin(['bailiff-office', 'add', 'gdw-zuid', '--name', 'GDW Zuid'])).code).toBe(0);
    expect((await admin(['corporation', 'add', 'zuid-wonen', '--name', 'Zuid Wonen'])).code).toBe(0);
    expect((await admin(['key', 'add', '--role', 'operator', '--person', 'Olga Ops', '--label', 'Operator Ops', '--corporation', 'zuid-wonen'])).code).toBe(0);
    const before = await snapshot();
    const badInputs: string[][] = [
      [],
      ['frobnicate'],
      ['corporation'],
      ['corporation', 'add'],
      ['corporation', 'add', 'not an id!', '--name', 'X'],
      ['corporation', 'add', 'acme-2'],
      ['corporation', 'add', 'acme-2', '--name', '  '],
      ['corporation', 'add', 'acme-2', '--name', 'Acme\nPay to NL00BANK0123456789'],
      ['corporation', 'add', 'acme-2', '--name', 'X', '--rented-units', '0'],
      ['corporation', 'add', 'acme-2', '--name', 'X', '--rented-units', 'many'],
      ['corporation', 'add', 'acme-2', '--name', 'X', '--bailiff-office', 'no-such-office'],
      ['corporation', 'add', 'acme-2', '--name', 'Acme', 'Wonen'],
      ['corporation', 'add', 'acme-2', '--name', 'X', '--frobnicate'],
      ['key', 'add', '--role', 'king', '--person', 'X'],
      ['key', 'add', '--role', 'billing'],
      ['key', 'add', '--role', 'operator', '--label', 'X', '--corporation', 'zuid-wonen'],
      ['key', 'add', '--role', 'operator', '--person', '  ', '--corporation', 'zuid-wonen'],
      // A non-admin key without a corporation would see nothing; one of a corporation that is not there neither.
      ['key', 'add', '--role', 'billing', '--person', 'X'],
      ['key', 'add', '--role', 'billing', '--person', 'X', '--corporation', 'no-such-corp'],
      ['key', 'add', '--role', 'billing', '--person', 'X', '--corporation', 'not a corp!'],
      ['key', 'add', '--role', 'bailiff', '--person', 'X'],
      ['key', 'add', '--role', 'bailiff', '--person', 'X', '--bailiff-office', 'no-such-office'],
      ['key', 'add', '--role', 'bailiff', '--person', 'X', '--bailiff-office', 'gdw-zuid', '--corporation', 'zuid-wonen'],
      ['key', 'add', '--role', 'billing', '--person', 'X', '--corporation', 'zuid-wonen', '--bailiff-office', 'gdw-zuid'],
      ['key', 'add', '--role', 'admin', '--person', 'Y', '--label', 'Operator Ops'],
      ['key', 'revoke', 'nobody'],
      ['key', 'revoke'],
    ];
    for (const args of badInputs) {
      const result = await admin(args);
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(result.stderr, JSON.stringify(args)).toMatch(/^admin: [^\n]+\n$/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('says in one line when DATABASE_URL is missing (2) or the database cannot be reached (1)', async () => {
    const missing = await admin(['corporation', 'list'], { DATABASE_URL: '' });
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/^admin: DATABASE_URL is required[^\n]*\n$/);
    const unreachable = await admin(['corporation', 'list'], { DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:1/huurincasso' });
    expect(unreachable).toMatchObject({ code: 1, stdout: '' });
    expect(unreachable.stderr).toMatch(/^admin: cannot reach the database at 127\.0\.0\.1:1\/huurincasso[^\n]*\n$/);
  });
});
