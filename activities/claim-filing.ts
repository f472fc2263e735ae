import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../infra/db/database.js';
import type { ClaimFiling, ClaimFilingRequest } from '../shared/track/claim-filing.js';

/**
 * The claim filed with the administrator (WSNP) or trustee (bankruptcy). Their portals take
 * documents (no public API): one JSON document per filing in the drop folder, with the debtor's
 * details read here from Postgres, and a row as evidence. Once per idempotency key.
 */
export function createClaimFilingActivities(db: Kysely<Database>, outboxDir: string) {
  return {
    async fileClaim(request: ClaimFilingRequest): Promise<ClaimFiling> {
      const inserted = await db
        .insertInto('claim_filing')
        .values({
          idempotency_key: request.idempotencyKey,
          filing_id: randomUUID(),
          case_id: request.caseId,
          proceeding: request.proceeding,
          ruling_date: request.rulingDate,
          principal: request.principal,
          interest: request.interest,
          costs: request.costs,
          total: request.total,
          filed_on: request.filedOn,
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returning(['filing_id', 'filed_on'])
        .executeTakeFirst();
      const row = inserted ?? (await db.selectFrom('claim_filing').select(['filing_id', 'filed_on']).where('idempotency_key', '=', request.idempotencyKey).executeTakeFirstOrThrow());
      const debtor = await db.selectFrom('debtor').select(['name', 'street', 'postal_code', 'city']).where('case_id', '=', request.caseId).executeTakeFirst();
      // Written on every attempt: a crash between the row and the file must not lose the file.
      await mkdir(outboxDir, { recursive: true });
      const { idempotencyKey: _key, ...amounts } = request;
      await writeFile(join(outboxDir, `${row.filing_id}.json`), `${JSON.stringify({ kind: 'ClaimFiling', filingId: row.filing_id, ...amounts, debtor: debtor ?? null }, null, 2)}\n`, 'utf8');
      return { filingId: row.filing_id, filedOn: row.filed_on };
    },
  };
}
