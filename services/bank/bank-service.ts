import { Router } from 'express';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { parseInput, unprocessable } from '../http/errors.js';
import { serviceApp } from '../http/service-app.js';
import { join } from 'node:path';
import { dataDir } from '../../infra/paths.js';
import { directDebitFileRoutes } from './direct-debit/run-file.js';
import { ensurePaymentReference } from '../../infra/db/payment-reference-store.js';

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
    const caseRow = await db.selectFrom('collection_case').select('case_id').where('case_id', '=', caseId).executeTakeFirst();
    if (!caseRow) throw unprocessable('unknown_case', `no case ${caseId}`);
    const { reference, issued } = await ensurePaymentReference(db, caseId);
    res.status(issued ? 201 : 200).json({ caseId, reference });
  });

  return serviceApp({ service: 'bank', jsonLimit: '64kb', secret, checkHealth: () => sql`select 1`.execute(db) }, routes);
}
