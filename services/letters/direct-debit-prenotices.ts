import { Router } from 'express';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { isoDateSchema } from '../../shared/calendar/iso-date.js';
import { nonNegativeMoneyString } from '../../shared/money.js';
import { parseInput, unprocessable } from '../http/errors.js';
import { renderPrenotification } from './templates/direct-debit-prenotification.js';

const requestSchema = z.object({
  occupancyId: z.string().min(1).max(80),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  amount: nonNegativeMoneyString,
  collectionDate: isoDateSchema,
  retryDate: isoDateSchema.nullable(),
  postedOn: isoDateSchema,
});

/**
 * Pre-notifications of the monthly advance, one per occupancy and month (the key: a retried call
 * answers the notice already sent). By e-mail when the occupant gave an address, else by post;
 * each channel is the letters' drop folder `<outboxDir>/<channel>`. The occupant's name and address
 * come from Postgres here: the workflow that asks knows ids, amounts and dates.
 */
export function directDebitPrenoticeRoutes({ db, outboxDir }: { db: Kysely<Database>; outboxDir: string }): Router {
  const routes = Router();
  routes.post('/direct-debit-prenotices', async (req, res) => {
    const request = parseInput(requestSchema, req.body, 'pre-notification');
    const sent = await db.selectFrom('direct_debit_prenotice').selectAll().where('occupancy_id', '=', request.occupancyId).where('month', '=', request.month).executeTakeFirst();
    if (sent) {
      res.status(200).json({ letterId: sent.letter_id, channel: sent.channel });
      return;
    }
    const occupancy = await db.selectFrom('occupancy').selectAll().where('occupancy_id', '=', request.occupancyId).executeTakeFirst();
    if (!occupancy) throw unprocessable('unknown_occupancy', `no occupancy ${request.occupancyId}`);
    const creditor = await db.selectFrom('creditor').selectAll().where('creditor_id', '=', occupancy.creditor_id).executeTakeFirstOrThrow();
    const mandate = await db.selectFrom('occupancy_mandate').selectAll().where('occupancy_id', '=', request.occupancyId).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
    const channel = occupancy.occupant_email ? 'email' : 'post';
    const text = renderPrenotification({
      recipient: { name: occupancy.occupant_name, street: occupancy.occupant_street, postalCode: occupancy.occupant_postal_code, city: occupancy.occupant_city },
      creditorName: creditor.name,
      creditorIdentifier: creditor.creditor_identifier,
      mandateId: mandate.mandate_id,
      unitRef: occupancy.unit_ref,
      month: request.month,
      amount: request.amount,
      collectionDate: request.collectionDate,
      retryDate: request.retryDate,
      postedOn: request.postedOn,
    });
    const letterId = randomUUID();
    const inserted = await db
      .insertInto('direct_debit_prenotice')
      .values({ occupancy_id: request.occupancyId, month: request.month, letter_id: letterId, channel, amount: request.amount, collection_date: request.collectionDate })
      .onConflict((oc) => oc.columns(['occupancy_id', 'month']).doNothing())
      .returning('letter_id')
      .executeTakeFirst();
    if (!inserted) {
      const winner = await db.selectFrom('direct_debit_prenotice').selectAll().where('occupancy_id', '=', request.occupancyId).where('month', '=', request.month).executeTakeFirstOrThrow();
      res.status(200).json({ letterId: winner.letter_id, channel: winner.channel });
      return;
    }
    const folder = join(outboxDir, channel);
    await mkdir(folder, { recursive: true });
    const body = channel === 'email' ? `To: ${occupancy.occupant_email}\nSubject: Aankondiging automatische incasso\n\n${text}` : text;
    await writeFile(join(folder, `.${letterId}.tmp`), body, 'utf8');
    await rename(join(folder, `.${letterId}.tmp`), join(folder, `${letterId}.txt`));
    res.status(201).json({ letterId, channel });
  });
  return routes;
}
