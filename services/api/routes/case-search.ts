import { Router } from 'express';
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { callerOf } from '../auth.js';
import { ofHeldCorporations } from '../key-scope.js';
import { caseContracts, caseCursor } from '../requests/cases.js';
import { mountRoute } from './mount-route.js';

const createdMicros = sql<string>`(extract(epoch from c.created_at) * 1000000)::bigint::text`;
const fromMicros = (micros: string) => sql<Date>`(timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond')`;

/**
 * Finds cases by contract and stage (billing knows its contract reference, not our case id), oldest
 * first, a page at a time. Postgres only, so it answers while the workflow engine is away; the
 * stage is the one the track last wrote (null until it has).
 */
export function caseSearchRoutes(db: Kysely<Database>): Router {
  const router = Router();

  mountRoute(router, caseContracts.searchCases, async ({ query }, res) => {
    const caller = callerOf(res.locals);
    const rows = await db
      .selectFrom('collection_case as c')
      .select(['c.case_id', 'c.corporation_id', 'c.contract_ref', 'c.workflow_id', 'c.stage', 'c.closed_reason', 'c.bailiff_office_id', 'c.handed_over_on', 'c.created_at', createdMicros.as('created_micros')])
      // A bailiff office sees only the cases handed over to it; anyone else those of the corporations the key holds.
      .where(caller.role === 'bailiff' ? sql<SqlBool>`c.bailiff_office_id = ${caller.bailiffOfficeId ?? ''}` : ofHeldCorporations(caller, 'c.corporation_id'))
      .$if(query.corporationId !== undefined, (qb) => qb.where('c.corporation_id', '=', query.corporationId!))
      .$if(query.contractRef !== undefined, (qb) => qb.where('c.contract_ref', '=', query.contractRef!))
      .$if(query.stage !== undefined, (qb) => qb.where('c.stage', '=', query.stage!))
      .$if(query.cursor !== undefined, (qb) =>
        qb.where((eb) => eb(eb.refTuple('c.created_at', 'c.case_id'), '>', eb.tuple(fromMicros(query.cursor!.createdMicros), query.cursor!.caseId))),
      )
      .orderBy('c.created_at')
      .orderBy('c.case_id')
      .limit(query.limit + 1)
      .execute();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    res.json({
      cases: page.map((row) => ({
        caseId: row.case_id,
        corporationId: row.corporation_id,
        contractRef: row.contract_ref,
        workflowId: row.workflow_id,
        stage: row.stage,
        closedReason: row.closed_reason,
        bailiffOfficeId: row.bailiff_office_id,
        handedOverOn: row.handed_over_on,
        createdAt: row.created_at.toISOString(),
      })),
      nextCursor: rows.length > query.limit && last ? caseCursor.encode({ createdMicros: last.created_micros, caseId: last.case_id }) : null,
    });
  });

  return router;
}
