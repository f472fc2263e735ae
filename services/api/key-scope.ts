import { sql, type Expression, type SqlBool } from 'kysely';
import { notFound } from '../http/errors.js';
import { forbidden, holdsCorporation, isPlatformAdmin, type Caller, type KeyAccess } from './auth.js';
import { payloadCorporationsHeld } from './codec/payload-access.js';
import type { CodecPayload } from './requests/codec.js';
import type { Scope } from './requests/route-contract.js';
import { directDebitScope } from './direct-debit-scope.js';
import { noReach, type Reach } from './reach.js';

/**
 * A route's scope (route-contract.ts) checked against the key before the handler runs. What the
 * key does not hold answers exactly as what does not exist: the same 404, the same message.
 */


type Input = { readonly params?: unknown; readonly query?: unknown; readonly body?: unknown };
const field = (part: unknown, name: string) => (part as Record<string, unknown> | undefined)?.[name];

export async function checkScope({ caller, db }: KeyAccess, scope: Scope, input: Input): Promise<Reach> {
  switch (scope) {
    case 'none':
      return noReach;
    case 'platform':
      if (!isPlatformAdmin(caller)) throw forbidden('a platform admin key only (an admin key bound to no corporation)');
      return noReach;
    case 'case': {
      const caseId = field(input.params, 'caseId') as string;
      const row = await db.selectFrom('collection_case').select(['corporation_id', 'bailiff_office_id']).where('case_id', '=', caseId).executeTakeFirst();
      // A bailiff office reaches the cases handed to it, whichever corporation they are of.
      const visible = row && (caller.role === 'bailiff' ? row.bailiff_office_id !== null && row.bailiff_office_id === caller.bailiffOfficeId : holdsCorporation(caller, row.corporation_id));
      if (!visible) throw notFound(`no case ${caseId}`);
      return { corporationIds: [row.corporation_id], caseId };
    }
    case 'letter': {
      const letterId = field(input.params, 'letterId') as string;
      const row = await db
        .selectFrom('letter')
        .innerJoin('collection_case', 'collection_case.case_id', 'letter.case_id')
        .select(['letter.case_id', 'collection_case.corporation_id', 'collection_case.bailiff_office_id'])
        .where('letter.letter_id', '=', letterId)
        .executeTakeFirst();
      // Whoever may read the case may read its letters, and nobody else.
      const visible = row && (caller.role === 'bailiff' ? row.bailiff_office_id !== null && row.bailiff_office_id === caller.bailiffOfficeId : holdsCorporation(caller, row.corporation_id));
      if (!visible) throw notFound(`no letter ${letterId}`);
      return { corporationIds: [row.corporation_id], caseId: row.case_id };
    }
    case 'task': {
      const taskId = field(input.params, 'taskId') as string;
      const row = await db.selectFrom('task').select(['corporation_id', 'case_id']).where('task_id', '=', taskId).executeTakeFirst();
      if (!row || !holdsCorporation(caller, row.corporation_id)) throw notFound(`no task ${taskId}`);
      return { corporationIds: [row.corporation_id], caseId: row.case_id };
    }
    case 'hold': {
      const holdId = field(input.params, 'holdId') as string;
      const row = await db.selectFrom('hold').select('corporation_id').where('hold_id', '=', holdId).executeTakeFirst();
      if (!row || !holdsCorporation(caller, row.corporation_id)) throw notFound(`no hold ${holdId}`);
      return { corporationIds: [row.corporation_id], caseId: null };
    }
    case 'corporation-in-path':
      return requireCorporations(caller, [field(input.params, 'corporationId') as string]);
    case 'corporation-in-query':
      return requireCorporations(caller, [field(input.query, 'corporationId') as string]);
    case 'corporation-in-body':
      return requireCorporations(caller, [field(input.body, 'corporationId') as string]);
    case 'corporations-in-body':
      return requireCorporations(caller, field(input.body, 'corporationIds') as string[]);
    case 'api-key': {
      const keyId = field(input.params, 'keyId') as string;
      const row = await db.selectFrom('api_key').select(['role', 'corporation_ids']).where('key_id', '=', keyId).executeTakeFirst();
      if (!row || !managesKey(caller, row)) throw notFound(`no key ${keyId}`);
      return { corporationIds: row.corporation_ids, caseId: null };
    }
    case 'listing': {
      const corporationId = field(input.query, 'corporationId') as string | undefined;
      // A bailiff's lists are of its office's cases, whichever corporation it names: nothing to check.
      if (corporationId === undefined || caller.role === 'bailiff') return { corporationIds: caller.corporationIds, caseId: null };
      return requireCorporations(caller, [corporationId]);
    }
    case 'bank-import': {
      const importId = field(input.params, 'importId') as string;
      const row = await db.selectFrom('bank_import').select('corporation_id').where('import_id', '=', importId).executeTakeFirst();
      if (!row || !holdsCorporation(caller, row.corporation_id)) throw notFound(`no bank import ${importId}`);
      return { corporationIds: [row.corporation_id], caseId: null };
    }
    case 'bank-entry': {
      const entryId = field(input.params, 'entryId') as string;
      const row = await db.selectFrom('bank_entry').select(['corporation_id', 'case_id']).where('entry_id', '=', entryId).executeTakeFirst();
      if (!row || !holdsCorporation(caller, row.corporation_id)) throw notFound(`no bank entry ${entryId}`);
      return { corporationIds: [row.corporation_id], caseId: row.case_id };
    }
    case 'occupancy':
    case 'creditor-in-query':
    case 'direct-debit-run':
      return directDebitScope(db, caller, scope, input);
    case 'items-in-body': {
      // Checked per item by the handler (a foreign item is refused in its place); the trail names the held ones.
      const items = field(input.body, 'cases') as { corporationId?: string }[];
      const held = new Set(items.flatMap((item) => (typeof item.corporationId === 'string' && holdsCorporation(caller, item.corporationId) ? [item.corporationId] : [])));
      return { corporationIds: [...held], caseId: null };
    }
    case 'payload-corporations':
      return { corporationIds: payloadCorporationsHeld(caller, field(input.body, 'payloads') as CodecPayload[]), caseId: null };
  }
}

function requireCorporations(caller: Caller, corporationIds: readonly string[]): Reach {
  const foreign = corporationIds.find((id) => !holdsCorporation(caller, id));
  if (foreign !== undefined) throw notFound(`no corporation ${foreign}`);
  return { corporationIds, caseId: null };
}

/**
 * A platform admin manages every key; a corporation's admin the keys bound only to corporations
 * it holds (not a platform key, not a bailiff office's key, not a key shared with a corporation
 * it does not hold).
 */
export function managesKey(caller: Caller, key: { role: string; corporation_ids: readonly string[] }): boolean {
  if (caller.role !== 'admin') return false;
  if (isPlatformAdmin(caller)) return true;
  return key.role !== 'bailiff' && key.corporation_ids.length > 0 && key.corporation_ids.every((id) => caller.corporationIds.includes(id));
}

/** For a listing's query: rows of the corporations the key holds (all of them for a platform admin). */
export function ofHeldCorporations(caller: Caller, column: string): Expression<SqlBool> {
  if (isPlatformAdmin(caller)) return sql<SqlBool>`true`;
  if (caller.role === 'bailiff') return sql<SqlBool>`false`;
  return sql<SqlBool>`${sql.ref(column)} = any(${[...caller.corporationIds]}::text[])`;
}
