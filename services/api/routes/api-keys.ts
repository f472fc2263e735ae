import { Router } from 'express';
import { sql, type Kysely } from 'kysely';
import { apiKeyColumns, listedApiKey, newApiKey, revokeApiKey, storeApiKey } from '../../../infra/db/api-key-store.js';
import { bailiffOfficeExists } from '../../../infra/db/corporation-store.js';
import type { Database } from '../../../infra/db/database.js';
import { unprocessable } from '../../http/errors.js';
import { noteAudit } from '../audit-trail.js';
import { callerOf, forbidden, isPlatformAdmin } from '../auth.js';
import { apiKeyContracts as contracts } from '../requests/api-keys.js';
import { mountRoute } from './mount-route.js';

/**
 * API keys over the API: made for a person and the corporations the key may touch, listed without
 * secrets, revoked at once. Which corporations a caller may name, list or revoke for is the
 * contracts' scope (key-scope.ts); what only the platform admin may make is checked here.
 */
export function apiKeyRoutes(db: Kysely<Database>): Router {
  const router = Router();

  mountRoute(router, contracts.createApiKey, async ({ body: request }, res) => {
    const caller = callerOf(res.locals);
    // Keys that reach every corporation, or an office that serves several, are the installation's to give.
    if (!isPlatformAdmin(caller) && (request.corporationIds.length === 0 || request.role === 'bailiff')) {
      throw forbidden("only the platform admin makes a platform admin key or a bailiff office's key");
    }
    if (request.corporationIds.length > 0) {
      const known = await db.selectFrom('corporation').select('corporation_id').where('corporation_id', 'in', request.corporationIds).execute();
      const unknown = request.corporationIds.filter((id) => !known.some((row) => row.corporation_id === id));
      if (unknown.length > 0) throw unprocessable('unknown_corporation', `corporation ${unknown.join(', ')} is not configured`);
    }
    if (request.bailiffOfficeId && !(await bailiffOfficeExists(db, request.bailiffOfficeId))) {
      throw unprocessable('unknown_bailiff_office', `bailiff office ${request.bailiffOfficeId} is not configured`);
    }
    const key = newApiKey(request.role);
    const { keyId } = await storeApiKey(db, key, {
      role: request.role,
      person: request.person,
      corporationIds: request.corporationIds,
      bailiffOfficeId: request.bailiffOfficeId ?? null,
    });
    noteAudit(res, { detail: { keyId, role: request.role, corporationIds: request.corporationIds, bailiffOfficeId: request.bailiffOfficeId ?? null } });
    res.status(201).json({ keyId, key });
  });

  mountRoute(router, contracts.listApiKeys, async ({ query }, res) => {
    const caller = callerOf(res.locals);
    const rows = await db
      .selectFrom('api_key')
      .select([...apiKeyColumns])
      // As key-scope.ts managesKey: a corporation's admin sees the keys bound only to its corporations.
      .$if(!isPlatformAdmin(caller), (qb) =>
        qb
          .where('role', '<>', 'bailiff')
          .where(sql<boolean>`cardinality(corporation_ids) > 0`)
          .where(sql<boolean>`corporation_ids <@ ${[...caller.corporationIds]}::text[]`),
      )
      .$if(query.corporationId !== undefined, (qb) => qb.where(sql<boolean>`${query.corporationId!} = any(corporation_ids)`))
      .orderBy('created_at')
      .orderBy('key_id')
      .execute();
    res.json({ keys: rows.map(listedApiKey) });
  });

  mountRoute(router, contracts.revokeApiKey, async ({ params: { keyId } }, res) => {
    const row = await db.selectFrom('api_key').select(['key_hash']).where('key_id', '=', keyId).executeTakeFirstOrThrow();
    const revoked = await revokeApiKey(db, row.key_hash);
    noteAudit(res, { detail: { keyId, revokedNow: revoked } });
    const stored = await db.selectFrom('api_key').select([...apiKeyColumns]).where('key_hash', '=', row.key_hash).executeTakeFirstOrThrow();
    res.json(listedApiKey(stored));
  });

  return router;
}
