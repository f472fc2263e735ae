import type { Kysely } from 'kysely';
import { createHash, randomBytes } from 'node:crypto';
import { hashApiKey } from '../../../infra/db/api-key-store.js';
import type { Database } from '../../../infra/db/database.js';
import { callerFromKeyRow, type Caller } from '../auth.js';

/** A working day: long enough for a shift, short enough that a forgotten browser does not stay in. */
export const sessionHours = 10;

const hashSession = (secret: string) => createHash('sha256').update(`ops-session:${secret}`).digest('hex');
export const newSecret = () => randomBytes(32).toString('base64url');

export interface OpsSession {
  readonly caller: Caller;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/**
 * Opens a session for a personal API key (unknown or revoked: null). The cookie carries the
 * returned secret; the table holds its hash, the key it belongs to and the CSRF token.
 */
export async function openSession(db: Kysely<Database>, apiKey: string, now = new Date()): Promise<{ secret: string; session: OpsSession } | null> {
  const key = await db
    .selectFrom('api_key')
    .select(['key_id', 'role', 'label', 'person', 'corporation_ids', 'bailiff_office_id'])
    .where('key_hash', '=', hashApiKey(apiKey))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!key) return null;
  const secret = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(now.getTime() + sessionHours * 3_600_000);
  // Old sessions go as new ones come: the table does not grow with expired rows.
  await db.deleteFrom('ops_session').where('expires_at', '<', now).execute();
  await db.insertInto('ops_session').values({ session_hash: hashSession(secret), key_id: key.key_id, csrf_token: csrfToken, expires_at: expiresAt }).execute();
  return { secret, session: { caller: callerFromKeyRow(key), csrfToken, expiresAt } };
}

/** The session behind a cookie's secret, while it has not expired and its key is not revoked. */
export async function findSession(db: Kysely<Database>, secret: string, now = new Date()): Promise<OpsSession | null> {
  const row = await db
    .selectFrom('ops_session as s')
    .innerJoin('api_key as k', 'k.key_id', 's.key_id')
    .select(['k.key_id', 'k.role', 'k.label', 'k.person', 'k.corporation_ids', 'k.bailiff_office_id', 's.csrf_token', 's.expires_at'])
    .where('s.session_hash', '=', hashSession(secret))
    .where('s.expires_at', '>', now)
    .where('k.revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { caller: callerFromKeyRow(row), csrfToken: row.csrf_token, expiresAt: row.expires_at } : null;
}

export async function closeSession(db: Kysely<Database>, secret: string): Promise<void> {
  await db.deleteFrom('ops_session').where('session_hash', '=', hashSession(secret)).execute();
}
