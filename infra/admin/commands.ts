import type { Kysely } from 'kysely';
import { hashApiKey, newApiKey, revokeApiKey, storeApiKey } from '../db/api-key-store.js';
import { bailiffOfficeExists, corporationExists, upsertCorporation } from '../db/corporation-store.js';
import type { Database } from '../db/database.js';
import { AdminInputError, type AdminCommand } from './arguments.js';

/**
 * What the admin CLI does to an installation's database. Keys are made and stored exactly as the
 * API checks them (auth.ts: only the SHA-256 of the key is kept); a key is shown once, here.
 */

export interface AdminOutput {
  /** The command's result: a table, or the one new key. */
  print(line: string): void;
  /** What a person should know besides (kept off stdout, so `$(npm run -s admin -- key add …)` is the key). */
  note(line: string): void;
}

/** Enough of a key's hash to tell keys apart in `key list` and to revoke one by; never the key. */
const hashPrefix = (keyHash: string) => keyHash.slice(0, 12);

export async function runAdminCommand(db: Kysely<Database>, command: Exclude<AdminCommand, { kind: 'help' }>, out: AdminOutput): Promise<void> {
  switch (command.kind) {
    case 'corporation add': {
      if (command.settings.bailiffOfficeId) await requireBailiffOffice(db, command.settings.bailiffOfficeId);
      const known = await corporationExists(db, command.corporationId);
      await upsertCorporation(db, command.corporationId, command.settings);
      out.print(`${known ? 'updated' : 'added'} corporation ${command.corporationId}`);
      return;
    }
    case 'corporation list': {
      const rows = await db.selectFrom('corporation').select(['corporation_id', 'name', 'vat_surcharge', 'bailiff_office_id', 'rented_units']).orderBy('corporation_id').execute();
      printTable(out, ['id', 'name', 'vat surcharge', 'bailiff office', 'rented units'], rows.map((row) => [
        row.corporation_id,
        row.name,
        row.vat_surcharge ? 'yes' : 'no',
        row.bailiff_office_id ?? '-',
        row.rented_units === null ? '-' : String(row.rented_units),
      ]));
      return;
    }
    case 'bailiff-office add': {
      const known = await db.selectFrom('bailiff_office').select('office_id').where('office_id', '=', command.officeId).executeTakeFirst();
      await db
        .insertInto('bailiff_office')
        .values({ office_id: command.officeId, name: command.name })
        .onConflict((oc) => oc.column('office_id').doUpdateSet({ name: command.name }))
        .execute();
      out.print(`${known ? 'updated' : 'added'} bailiff office ${command.officeId}`);
      return;
    }
    case 'bailiff-office list': {
      const rows = await db.selectFrom('bailiff_office').select(['office_id', 'name']).orderBy('office_id').execute();
      printTable(out, ['id', 'name'], rows.map((row) => [row.office_id, row.name]));
      return;
    }
    case 'key add': {
      if (command.bailiffOfficeId) await requireBailiffOffice(db, command.bailiffOfficeId);
      for (const corporationId of command.corporationIds) {
        if (!(await corporationExists(db, corporationId))) throw new AdminInputError(`no corporation ${corporationId}: add it first with corporation add ${corporationId} --name "…"`);
      }
      // Labels name whom a key was given to; one label, one working key, so `key revoke <label>` is never ambiguous.
      const sameLabel = await db.selectFrom('api_key').select('key_hash').where('label', '=', command.label).where('revoked_at', 'is', null).executeTakeFirst();
      if (sameLabel) throw new AdminInputError(`key add: a key labelled ${JSON.stringify(command.label)} exists (${hashPrefix(sameLabel.key_hash)}); revoke it first or choose another --label`);
      const key = newApiKey(command.role);
      const { keyId } = await storeApiKey(db, key, {
        role: command.role,
        person: command.person,
        label: command.label,
        corporationIds: command.corporationIds,
        bailiffOfficeId: command.bailiffOfficeId,
      });
      out.print(key);
      const reach = command.bailiffOfficeId
        ? `office ${command.bailiffOfficeId}`
        : command.corporationIds.length > 0
          ? `corporation ${command.corporationIds.join(', ')}`
          : 'platform admin: every corporation';
      out.note(`${command.role} key of ${JSON.stringify(command.person)} (${reach}), key id ${keyId}, hash ${hashPrefix(hashApiKey(key))}: shown only now, store it safely`);
      return;
    }
    case 'key list': {
      const rows = await db
        .selectFrom('api_key')
        .select(['key_id', 'key_hash', 'role', 'person', 'label', 'corporation_ids', 'bailiff_office_id', 'created_at', 'revoked_at'])
        .orderBy('created_at')
        .orderBy('label')
        .execute();
      const when = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');
      printTable(out, ['key id', 'hash', 'role', 'person', 'label', 'corporations', 'bailiff office', 'created', 'revoked'], rows.map((row) => [
        row.key_id,
        hashPrefix(row.key_hash),
        row.role,
        row.person,
        row.label,
        row.corporation_ids.length > 0 ? row.corporation_ids.join(',') : row.role === 'admin' ? '(platform)' : '-',
        row.bailiff_office_id ?? '-',
        when(row.created_at),
        row.revoked_at ? when(row.revoked_at) : '-',
      ]));
      return;
    }
    case 'key revoke': {
      const matches = await keysMatching(db, command.target);
      if (matches.length === 0) throw new AdminInputError(`key revoke: no working key is labelled ${JSON.stringify(command.target)} or has that key id or a hash starting so (see key list)`);
      if (matches.length > 1) throw new AdminInputError(`key revoke: ${JSON.stringify(command.target)} matches ${matches.length} keys; give more of the hash (see key list)`);
      const [key] = matches;
      await revokeApiKey(db, key!.key_hash);
      out.print(`revoked ${key!.role} key ${JSON.stringify(key!.label)} of ${JSON.stringify(key!.person)} (${hashPrefix(key!.key_hash)})`);
      return;
    }
  }
}

async function requireBailiffOffice(db: Kysely<Database>, officeId: string): Promise<void> {
  if (!(await bailiffOfficeExists(db, officeId))) throw new AdminInputError(`no bailiff office ${officeId}: add it first with bailiff-office add ${officeId} --name "…"`);
}

/** Among the working keys: a label names one key; otherwise its key id, or a hash prefix as `key list` shows it (6 hex digits at least). */
async function keysMatching(db: Kysely<Database>, target: string) {
  const query = db.selectFrom('api_key').select(['key_hash', 'role', 'label', 'person']).where('revoked_at', 'is', null);
  const byLabel = await query.where('label', '=', target).execute();
  if (byLabel.length > 0) return byLabel;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(target)) return query.where('key_id', '=', target.toLowerCase()).execute();
  if (!/^[0-9a-f]{6,64}$/.test(target)) return byLabel;
  return query.where('key_hash', 'like', `${target}%`).execute();
}

function printTable(out: AdminOutput, header: string[], rows: string[][]): void {
  if (rows.length === 0) {
    out.note('none yet');
    return;
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) out.print(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}
