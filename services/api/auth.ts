import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../infra/db/database.js';
import { HttpError } from '../http/errors.js';

export const roles = ['billing', 'bailiff', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface Caller {
  readonly role: Role;
  /** Names the key (a prefix of its hash, never the key or a person's name): the actor in four-eyes checks. */
  readonly actor: string;
  readonly keyLabel: string;
  /** Set for bailiff keys: the one office whose cases this key may see and report on. */
  readonly bailiffOfficeId: string | null;
}

/** Only the hash of a key is stored, so a database dump does not hand out access. */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');
export const newApiKey = (role: Role) => `hi_${role}_${randomBytes(24).toString('base64url')}`;

export async function storeApiKey(
  db: Kysely<Database>,
  key: string,
  role: Role,
  label: string,
  bailiffOfficeId: string | null = null,
): Promise<void> {
  await db
    .insertInto('api_key')
    .values({ key_hash: hashApiKey(key), role, label, bailiff_office_id: bailiffOfficeId })
    .onConflict((oc) => oc.column('key_hash').doUpdateSet({ role, label, bailiff_office_id: bailiffOfficeId }))
    .execute();
}

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

export function authenticate(db: Kysely<Database>): RequestHandler {
  return async (req, res, next) => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('missing bearer API key');
    const keyHash = hashApiKey(match[1]!);
    const row = await db
      .selectFrom('api_key')
      .select(['role', 'label', 'bailiff_office_id'])
      .where('key_hash', '=', keyHash)
      .executeTakeFirst();
    if (!row) throw unauthorized('unknown API key');
    const caller: Caller = { role: row.role as Role, actor: `${row.role}:${keyHash.slice(0, 12)}`, keyLabel: row.label, bailiffOfficeId: row.bailiff_office_id };
    res.locals.caller = caller;
    next();
  };
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
