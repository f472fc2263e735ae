import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { hashApiKey, personActor, roles, type Role } from '../../infra/db/api-key-store.js';
import type { Database } from '../../infra/db/database.js';
import { HttpError } from '../http/errors.js';

// A key's role is stored with it (the admin CLI makes keys too); the API checks it here.
export { roles, type Role };

export interface Caller {
  readonly role: Role;
  /** The key's public id (api_key.key_id): in audit entries and the key list. */
  readonly keyId: string;
  /** Whom the key was given to, as stored: in the audit trail, never in workflow history. */
  readonly person: string;
  /**
   * The person as the tracks record them (a pseudonym, the same for each key of that person):
   * the actor of every decision, and what four-eyes compares.
   */
  readonly actor: string;
  readonly keyLabel: string;
  /** The corporations the key may touch; empty on a platform admin key (all of them) and on a bailiff key. */
  readonly corporationIds: readonly string[];
  /** Set for bailiff keys: the one office whose cases this key may see and report on. */
  readonly bailiffOfficeId: string | null;
}

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

export function authenticate(db: Kysely<Database>): RequestHandler {
  return async (req, res, next) => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('missing bearer API key');
    const row = await db
      .selectFrom('api_key')
      .select(callerKeyColumns)
      .where('key_hash', '=', hashApiKey(match[1]!))
      // A revoked key is refused from the next request on.
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw unauthorized('unknown API key');
    signIn(res, db, callerFromKeyRow(row));
    next();
  };
}

/** The columns of api_key a caller is made of. */
export const callerKeyColumns = ['key_id', 'role', 'label', 'person', 'corporation_ids', 'bailiff_office_id'] as const;

export const callerFromKeyRow = (row: { key_id: string; role: string; label: string; person: string; corporation_ids: string[]; bailiff_office_id: string | null }): Caller => ({
  role: row.role as Role,
  keyId: row.key_id,
  person: row.person,
  actor: personActor(row.person),
  keyLabel: row.label,
  corporationIds: row.corporation_ids,
  bailiffOfficeId: row.bailiff_office_id,
});

/** What the routes read of the request's caller: set here for a key, by the operations page for its session (ops/session-auth.ts). */
export function signIn(res: { locals: Record<string, unknown> }, db: Kysely<Database>, caller: Caller): void {
  res.locals.caller = caller;
  res.locals.keyAccess = { caller, db } satisfies KeyAccess;
}

export function allow(...allowed: Role[]): RequestHandler {
  return (_req, res, next) => {
    const caller = res.locals.caller as Caller | undefined;
    if (!caller) throw unauthorized('missing bearer API key');
    if (!allowed.includes(caller.role)) throw forbidden(`role ${caller.role} may not do this; needs ${allowed.join(' or ')}`);
    next();
  };
}

export const callerOf = (locals: Record<string, unknown>): Caller => locals.caller as Caller;

/** The key of a request and where to look up what it reaches: what mountRoute checks scopes and writes audit entries with. */
export interface KeyAccess {
  readonly caller: Caller;
  readonly db: Kysely<Database>;
}

export const keyAccessOf = (locals: Record<string, unknown>): KeyAccess | undefined => locals.keyAccess as KeyAccess | undefined;

/** An admin key bound to no corporation: manages the installation (corporations, keys) for all of them. */
export const isPlatformAdmin = (caller: Caller) => caller.role === 'admin' && caller.corporationIds.length === 0;

/**
 * Whether the key may touch the corporation's cases, policy, holds and figures. A non-admin key
 * bound to no corporation holds none; a bailiff key reaches cases through its office only.
 */
export const holdsCorporation = (caller: Caller, corporationId: string) =>
  caller.role !== 'bailiff' && (isPlatformAdmin(caller) || caller.corporationIds.includes(corporationId));
