import express from 'express';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { makeBetalingskenmerk } from '../../shared/bank/betalingskenmerk.js';
import { errorHandler, notFoundHandler, parseInput, unprocessable } from '../http/errors.js';

export interface BankServiceOptions {
  readonly db: Kysely<Database>;
}

/** The bank side of a track: the payment reference tenants quote, one per case and stable. */
export function createBankService({ db }: BankServiceOptions) {
  const app = express();
  app.use(express.json({ limit: '64kb' }));

  app.get('/healthz', async (_req, res) => {
    await sql`select 1`.execute(db);
    res.json({ status: 'ok' });
  });

  app.post('/payment-references', async (req, res) => {
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

  app.use(notFoundHandler);
  app.use(errorHandler());
  return app;
}
