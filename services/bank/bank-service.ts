import { Router } from 'express';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { makeBetalingskenmerk } from '../../shared/bank/betalingskenmerk.js';
import { parseInput, unprocessable } from '../http/errors.js';
import { serviceApp } from '../http/service-app.js';
import { join } from 'node:path';
import { dataDir } from '../../infra/paths.js';
import { directDebitFileRoutes } from './direct-debit/run-file.js';

export interface BankServiceOptions {
  readonly db: Kysely<Database>;
  /** The secret callers present (services/http/service-credential.ts). */
  readonly secret: string;
  /** The bank's upload channel for pain.008 files, one folder per creditor (data/outbox/bank). */
  readonly outboxDir?: string;
}

/** The bank side of a track: the payment reference tenants quote, one per case and stable. */
export function createBankService({ db, secret, outboxDir = join(dataDir, 'outbox', 'bank') }: BankServiceOptions) {
  const routes = Router();
  routes.use(directDebitFileRoutes({ db, outboxDir }));

  routes.post('/payment-references', async (req, res) => {
    const { caseId } = parseInput(z.object({ caseId: z.string().uuid() }), req.body, 'payment reference request');
    const known = await db.selectFrom('payment_reference').select('reference').where('case_id', '=', caseId).executeTakeFirst();
    if (known) {
      res.json({ caseId, reference: known.reference });
      return;
    }
    const caseRow = await db.selectFrom('collection_case').select('case_id').where('case_id', '=', caseId).executeTakeFirst();
    if (!caseRow) throw unprocessable('unknown_case', `no case ${caseId}`);
    const { rows } = await sql<{ n: string }>`select nextval('payment_reference_seq')::text as n`.execute(db);
    // Leading 5 marks references issued by this system, the rest is the sequence.
    const body15 = `5${rows[0]!.n.padStart(14, '0')}`;
    await db
      .insertInto('payment_reference')
      .values({ case_id: caseId, reference: makeBetalingskenmerk(body15) })
      .onConflict((oc) => oc.column('case_id').doNothing())
      .execute();
    const stored = await db.selectFrom('payment_reference').select('reference').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    res.status(201).json({ caseId, reference: stored.reference });
  });

  return serviceApp({ service: 'bank', jsonLimit: '64kb', secret, checkHealth: () => sql`select 1`.execute(db) }, routes);
}
