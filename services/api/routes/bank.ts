import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Kysely, Selectable } from 'kysely';
import type { BankEntryTable, Database } from '../../../infra/db/database.js';
import { importBankFile } from '../../bank/import/import-bank-file.js';
import { bookPayment, type PaymentTracks } from '../../bank/import/statement-import.js';
import { conflict, notFound } from '../../http/errors.js';
import { callerOf } from '../auth.js';
import { bankContracts as contracts } from '../requests/bank.js';
import { mountRoute } from './mount-route.js';

export interface BankRoutesDeps {
  readonly db: Kysely<Database>;
  readonly tracks: PaymentTracks;
}

/** Bank files in, the payments they carry on the tracks, and the worklist of what matched nothing. */
export function bankRoutes({ db, tracks }: BankRoutesDeps): Router {
  const router = Router();

  mountRoute(router, contracts.importStatement, async ({ query: { corporationId }, body: xml }, res) => {
    // The same import as the drop folder's (services/bank/inbox).
    res.status(201).json(await importBankFile(db, tracks, xml, { corporationId, actor: callerOf(res.locals).actor, importId: randomUUID() }));
  });

  mountRoute(router, contracts.getImport, async ({ params: { importId } }, res) => {
    const row = await db.selectFrom('bank_import').selectAll().where('import_id', '=', importId).executeTakeFirstOrThrow();
    const lines = await db
      .selectFrom('bank_import_entry as i')
      .innerJoin('bank_entry as e', 'e.entry_id', 'i.entry_id')
      .selectAll('e')
      .select('i.duplicate')
      .where('i.import_id', '=', importId)
      .orderBy('e.booking_date')
      .orderBy('e.entry_id')
      .execute();
    // Imports stored before direct debits were read counted none.
    res.json({ importId, format: row.format, ...row.counts, directDebits: row.counts.directDebits ?? 0, createdAt: row.created_at.toISOString(), lines: lines.map((l) => ({ ...entryView(l), duplicate: l.duplicate })) });
  });

  mountRoute(router, contracts.listUnmatched, async ({ query: { corporationId } }, res) => {
    const rows = await db
      .selectFrom('bank_entry')
      .selectAll()
      .where('corporation_id', '=', corporationId)
      .where('fate', '=', 'unmatched')
      .orderBy('booking_date')
      .orderBy('entry_id')
      .limit(1000)
      .execute();
    res.json({ entries: rows.map(entryView) });
  });

  mountRoute(router, contracts.resolveUnmatched, async ({ params: { entryId }, body }, res) => {
    const entry = await db.selectFrom('bank_entry').selectAll().where('entry_id', '=', entryId).executeTakeFirstOrThrow();
    if (entry.fate !== 'unmatched') throw conflict(`bank entry ${entryId} is not on the worklist (it is ${entry.fate})`);
    const actor = callerOf(res.locals).actor;
    if ('action' in body) {
      const done = await db.updateTable('bank_entry').set({ fate: body.action, resolved_by: actor }).where('entry_id', '=', entryId).where('fate', '=', 'unmatched').executeTakeFirst();
      if (done.numUpdatedRows === 0n) throw conflict(`bank entry ${entryId} was settled meanwhile`);
    } else {
      if (entry.direction !== 'CRDT' || entry.reversal) throw conflict('only a credit can be booked to a case as a payment');
      const target = await db.selectFrom('collection_case').select('corporation_id').where('case_id', '=', body.caseId).executeTakeFirst();
      if (!target || target.corporation_id !== entry.corporation_id) throw notFound(`no case ${body.caseId}`);
      await bookPayment(db, tracks, entryId, body.caseId, 'manual', entry.amount, entry.booking_date, actor);
    }
    res.json(entryView(await db.selectFrom('bank_entry').selectAll().where('entry_id', '=', entryId).executeTakeFirstOrThrow()));
  });

  return router;
}

function entryView(row: Selectable<BankEntryTable>) {
  return {
    entryId: row.entry_id,
    bookingDate: row.booking_date,
    amount: row.amount,
    currency: row.currency,
    direction: row.direction,
    reversal: row.reversal,
    bankTxCode: row.bank_tx_code,
    returnReason: row.return_reason,
    structuredRef: row.structured_ref,
    freeText: row.free_text,
    counterIban: row.counter_iban,
    counterName: row.counter_name,
    fate: row.fate,
    matchRule: row.match_rule,
    caseId: row.case_id,
    transactionId: row.transaction_id,
  };
}
