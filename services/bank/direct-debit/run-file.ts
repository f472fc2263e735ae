import { Router } from 'express';
import { sql, type Kysely, type Transaction } from 'kysely';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Database } from '../../../infra/db/database.js';
import { openWithheldTask, refreshRunTotals } from '../../../infra/db/direct-debit/run-planning.js';
import { formatMoney, money } from '../../../shared/money.js';
import { parseInput, unprocessable } from '../../http/errors.js';
import type { CollectionFile, Debit, Pain008Version } from '../pain008/collection-file.js';
import { Pain008InputRefused } from '../pain008/pain008-errors.js';
import { buildValidatedPain008, Pain008Refused } from '../pain008/validated-pain008.js';
import { mandateAmendment, mandatesLastSeenByBank } from './mandate-amendment.js';
import { remittanceText } from './remittance.js';
import type { RunFileResult } from '../../../shared/direct-debit/run-file-result.js';

const paramsSchema = z.object({ runId: z.string().min(1).max(120) });

/**
 * The bank adapter's local channel for direct debits: a run's pain.008 is assembled here from
 * Postgres (names and IBANs never pass through a workflow), built and checked against the XSD of
 * the creditor's version (a file that fails never leaves), stored on the run and dropped into
 * `<outboxDir>/<creditorId>/<messageId>.xml` the way a bank's upload channel takes files. The
 * message id is the key: a repeated call answers the run as it was submitted and drops nothing new.
 */
export function directDebitFileRoutes({ db, outboxDir }: { db: Kysely<Database>; outboxDir: string }): Router {
  const routes = Router();
  routes.post('/direct-debit/runs/:runId/file', async (req, res) => {
    const { runId } = parseInput(paramsSchema, req.params, 'path');
    res.json(await submitRunFile(db, outboxDir, runId));
  });
  return routes;
}

export async function submitRunFile(db: Kysely<Database>, outboxDir: string, runId: string): Promise<RunFileResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const run = await trx.selectFrom('direct_debit_run').selectAll().where('run_id', '=', runId).forUpdate().executeTakeFirst();
      if (!run) throw unprocessable('unknown_run', `no run ${runId}`);
      if (run.status === 'submitted' || run.status === 'empty' || run.status === 'settled') return runResult(trx, runId);
      const creditor = await trx.selectFrom('creditor').selectAll().where('creditor_id', '=', run.creditor_id).executeTakeFirstOrThrow();

      // The run's total limit again: retries booked since the plan may not push it over.
      const planned = await trx.selectFrom('direct_debit').selectAll().where('run_id', '=', runId).where('status', '=', 'planned').orderBy('attempt').orderBy('end_to_end_id').execute();
      let total = money(0);
      const sending = [];
      for (const debit of planned) {
        if (total.plus(debit.amount).greaterThan(creditor.max_run_total)) {
          await trx.updateTable('direct_debit').set({ status: 'withheld', withheld_reason: 'over_max_run_total' }).where('end_to_end_id', '=', debit.end_to_end_id).execute();
          await openWithheldTask(trx, {
            creditorId: creditor.creditor_id,
            corporationId: creditor.corporation_id,
            occupancyId: debit.occupancy_id,
            month: debit.month,
            endToEndId: debit.end_to_end_id,
            kind: 'over_max_run_total',
            amount: debit.amount,
            limit: creditor.max_run_total,
            message: `Run ${runId} is full at its maximum of ${creditor.max_run_total}: the debit of ${debit.amount} for ${debit.month} (attempt ${debit.attempt}) was not sent.`,
          });
          continue;
        }
        total = total.plus(debit.amount);
        sending.push(debit);
      }
      if (sending.length === 0) {
        await trx.updateTable('direct_debit_run').set({ status: 'empty' }).where('run_id', '=', runId).execute();
        await refreshRunTotals(trx, run.creditor_id, run.month);
        return runResult(trx, runId);
      }

      // Everything the file needs in a few queries, not a few per debit (a run may hold thousands).
      const ids = sending.map((d) => d.occupancy_id);
      const occupancies = new Map((await trx.selectFrom('occupancy').selectAll().where('occupancy_id', 'in', ids).execute()).map((o) => [o.occupancy_id, o]));
      // The mandate as it stands when the file is made: a change since the plan goes out now.
      const mandates = new Map(
        (
          await sql<{ occupancy_id: string; version: number; mandate_id: string; signed_on: string; iban: string; bic: string | null }>`
            select distinct on (occupancy_id) occupancy_id, version, mandate_id, signed_on::text as signed_on, iban, bic from occupancy_mandate
            where occupancy_id = any(${ids}::text[]) order by occupancy_id, version desc`.execute(trx)
        ).rows.map((m) => [m.occupancy_id, m]),
      );
      const lastSeen = await mandatesLastSeenByBank(trx, ids, runId);
      const debits: Debit[] = [];
      for (const debit of sending) {
        const occupancy = occupancies.get(debit.occupancy_id)!;
        const mandate = mandates.get(debit.occupancy_id)!;
        const amendment = mandateAmendment(lastSeen.get(debit.occupancy_id), mandate, creditor.creditor_identifier);
        if (amendment || mandate.version !== debit.mandate_version) {
          await trx
            .updateTable('direct_debit')
            .set({ mandate_version: mandate.version, amendment: amendment ? JSON.stringify(amendment) : null })
            .where('end_to_end_id', '=', debit.end_to_end_id)
            .execute();
        }
        debits.push({
          endToEndId: debit.end_to_end_id,
          amount: formatMoney(debit.amount),
          mandate: { mandateId: mandate.mandate_id, signedOn: mandate.signed_on, ...(amendment ? { amendment } : {}) },
          debtor: { name: occupancy.occupant_name, iban: mandate.iban, ...(mandate.bic ? { bic: mandate.bic } : {}) },
          remittance: remittanceText(debit.month, occupancy.unit_ref),
        });
      }
      await trx.updateTable('direct_debit').set({ status: 'submitted' }).where('end_to_end_id', 'in', sending.map((d) => d.end_to_end_id)).execute();
      const file: CollectionFile = {
        messageId: run.message_id,
        createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        initiatingPartyName: creditor.initiating_party_name,
        creditor: { name: creditor.name, iban: creditor.iban, ...(creditor.bic ? { bic: creditor.bic } : {}), creditorIdentifier: creditor.creditor_identifier },
        batches: [{ paymentInfoId: `${run.message_id}-1`, collectionDate: run.collection_date, sequenceType: 'RCUR', batchBooking: true, debits }],
      };
      const version = creditor.pain_version as Pain008Version;
      const xml = await buildValidatedPain008(file, version);
      const filePath = await dropFile(join(outboxDir, creditor.creditor_id), `${run.message_id}.xml`, xml);
      await trx
        .updateTable('direct_debit_run')
        .set({ status: 'submitted', xml, file_path: filePath, pain_version: version, creditor_identifier: creditor.creditor_identifier, submitted_at: new Date() })
        .where('run_id', '=', runId)
        .execute();
      await refreshRunTotals(trx, run.creditor_id, run.month);
      return runResult(trx, runId);
    });
  } catch (error) {
    if (error instanceof Pain008Refused || error instanceof Pain008InputRefused) {
      // Nothing of the attempt is kept (the transaction rolled back); the run is marked so an operator sees it.
      await db.updateTable('direct_debit_run').set({ status: 'refused' }).where('run_id', '=', runId).where('status', 'in', ['planned', 'prenotified']).execute();
      throw unprocessable('pain008_refused', error.message);
    }
    throw error;
  }
}

/** Written under a temporary name and renamed: the bank's channel never picks up half a file. */
async function dropFile(folder: string, name: string, xml: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const target = join(folder, name);
  const exists = await stat(target).then(() => true, () => false);
  if (!exists) {
    const temporary = join(folder, `.${name}.${process.pid}.tmp`);
    await writeFile(temporary, xml, 'utf8');
    await rename(temporary, target);
  }
  return target;
}

async function runResult(trx: Transaction<Database>, runId: string): Promise<RunFileResult> {
  const run = await trx.selectFrom('direct_debit_run').selectAll().where('run_id', '=', runId).executeTakeFirstOrThrow();
  const withheld = await trx
    .selectFrom('direct_debit')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('run_id', '=', runId)
    .where('status', '=', 'withheld')
    .executeTakeFirstOrThrow();
  return {
    runId,
    status: run.status === 'empty' ? 'empty' : 'submitted',
    messageId: run.message_id,
    count: run.count,
    total: formatMoney(run.total),
    withheld: Number(withheld.n),
  };
}
