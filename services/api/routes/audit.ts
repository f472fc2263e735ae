import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { callerOf } from '../auth.js';
import { ofHeldCorporations } from '../key-scope.js';
import { auditContracts } from '../requests/audit.js';
import { mountRoute } from './mount-route.js';

/** GET /v1/audit: the audit trail of the corporations the admin key holds (all of it for the platform admin). */
export function auditRoutes(db: Kysely<Database>): Router {
  const router = Router();

  mountRoute(router, auditContracts.auditTrail, async ({ query }, res) => {
    const rows = await db
      .selectFrom('audit_log')
      .select(['audit_id', 'at', 'kind', 'action', 'person', 'key_id', 'actor', 'corporation_id', 'case_id', 'detail'])
      // Entries of no corporation (a platform key's) are the platform admin's: `true` lets them through, `= any` does not.
      .where(ofHeldCorporations(callerOf(res.locals), 'corporation_id'))
      .$if(query.corporationId !== undefined, (qb) => qb.where('corporation_id', '=', query.corporationId!))
      .$if(query.caseId !== undefined, (qb) => qb.where('case_id', '=', query.caseId!))
      .$if(query.cursor !== undefined, (qb) => qb.where('audit_id', '<', query.cursor!))
      .orderBy('audit_id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const page = rows.slice(0, query.limit);
    res.json({
      entries: page.map((row) => ({
        auditId: String(row.audit_id),
        at: row.at.toISOString(),
        kind: row.kind,
        action: row.action,
        person: row.person,
        keyId: row.key_id,
        actor: row.actor,
        corporationId: row.corporation_id,
        caseId: row.case_id,
        detail: row.detail,
      })),
      nextCursor: rows.length > query.limit ? String(page.at(-1)!.audit_id) : null,
    });
  });

  return router;
}
