import { Router } from 'express';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { isoDateSchema } from '../../shared/calendar/iso-date.js';
import { nonNegativeMoneyString } from '../../shared/money.js';
import { parseInput, unprocessable } from '../http/errors.js';
import { dispatchOnce } from './dispatch/dispatch-once.js';
import type { LetterCarriers, OutgoingLetter } from './dispatch/letter-carriers.js';
import { composePrenotification, directDebitPrenotificationTemplate, renderPrenotification } from './templates/direct-debit-prenotification.js';
import { renderDocumentPdf } from './templates/letter-pdf.js';

const requestSchema = z.object({
  occupancyId: z.string().min(1).max(80),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  amount: nonNegativeMoneyString,
  collectionDate: isoDateSchema,
  retryDate: isoDateSchema.nullable(),
  postedOn: isoDateSchema,
});

/** The kind the mail house's manifest and the e-mail's attachment name carry. */
const noticeKind = 'direct_debit_prenotice';

/**
 * Pre-notifications of the monthly advance, one per occupancy and month (the key: a retried call
 * answers the notice already stored). By e-mail when the occupant gave an address and a relay is
 * configured, else by post through the mail house; stored first with its PDF, then handed to the
 * carrier exactly once (dispatch-once.ts), so a retried activity never sends a second notice. The
 * occupant's name and address come from Postgres here: the workflow that asks knows ids, amounts
 * and dates.
 */
export function directDebitPrenoticeRoutes({ db, carriers }: { db: Kysely<Database>; carriers: LetterCarriers }): Router {
  const routes = Router();
  routes.post('/direct-debit-prenotices', async (req, res) => {
    const request = parseInput(requestSchema, req.body, 'pre-notification');
    const stored = await storedNotice(db, request.occupancyId, request.month);
    const notice = stored ?? (await storeNotice(db, carriers, request));
    if (notice.dispatch_state !== 'sent') {
      const outgoing = await outgoingNotice(db, notice.letter_id);
      await dispatchOnce(db, notice.letter_id, () => carriers.send(outgoing), 'direct_debit_prenotice');
    }
    res.status(stored ? 200 : 201).json({ letterId: notice.letter_id, channel: notice.channel });
  });
  return routes;
}

const storedNotice = (db: Kysely<Database>, occupancyId: string, month: string) =>
  db.selectFrom('direct_debit_prenotice').select(['letter_id', 'channel', 'dispatch_state']).where('occupancy_id', '=', occupancyId).where('month', '=', month).executeTakeFirst();

/** Renders and stores the notice (pending dispatch); a concurrent call that stored it first wins. */
async function storeNotice(db: Kysely<Database>, carriers: LetterCarriers, request: z.infer<typeof requestSchema>) {
  const occupancy = await db.selectFrom('occupancy').selectAll().where('occupancy_id', '=', request.occupancyId).executeTakeFirst();
  if (!occupancy) throw unprocessable('unknown_occupancy', `no occupancy ${request.occupancyId}`);
  const creditor = await db.selectFrom('creditor').selectAll().where('creditor_id', '=', occupancy.creditor_id).executeTakeFirstOrThrow();
  const mandate = await db.selectFrom('occupancy_mandate').selectAll().where('occupancy_id', '=', request.occupancyId).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
  const channel = occupancy.occupant_email && carriers.offers('email') ? 'email' : 'post';
  const context = {
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
  };
  const composed = composePrenotification(context);
  // The creditor is the sender: its name and identifier head the notice (no account to pay to: the debit pays).
  const printed = await renderDocumentPdf({
    sender: { name: creditor.name, addressLines: [], contactLines: [`Incassant-ID ${creditor.creditor_identifier}`], iban: null, bic: null },
    recipient: context.recipient,
    postedOn: request.postedOn,
    subject: composed.subject,
    lines: composed.lines,
    closing: composed.closing,
    templateVersion: directDebitPrenotificationTemplate,
  });
  const inserted = await db
    .insertInto('direct_debit_prenotice')
    .values({
      occupancy_id: request.occupancyId,
      month: request.month,
      letter_id: randomUUID(),
      channel,
      amount: request.amount,
      collection_date: request.collectionDate,
      posted_on: request.postedOn,
      template_version: directDebitPrenotificationTemplate,
      body: renderPrenotification(context, composed),
      pdf: printed.pdf,
      sha256: printed.sha256,
      pages: printed.pages,
      dispatch_state: 'pending',
    })
    .onConflict((oc) => oc.columns(['occupancy_id', 'month']).doNothing())
    .returning(['letter_id', 'channel', 'dispatch_state'])
    .executeTakeFirst();
  return inserted ?? (await storedNotice(db, request.occupancyId, request.month))!;
}

/** A stored notice as its carrier takes it (the occupant's details as they are now). */
async function outgoingNotice(db: Kysely<Database>, letterId: string): Promise<OutgoingLetter> {
  const notice = await db
    .selectFrom('direct_debit_prenotice as n')
    .innerJoin('occupancy as o', 'o.occupancy_id', 'n.occupancy_id')
    .innerJoin('creditor as c', 'c.creditor_id', 'o.creditor_id')
    .select(['n.letter_id', 'n.channel', 'n.body', 'n.pdf', 'n.sha256', 'n.pages', 'n.posted_on', 'n.collection_date', 'o.occupant_name', 'o.occupant_street', 'o.occupant_postal_code', 'o.occupant_city', 'o.occupant_email', 'c.name as creditor_name'])
    .where('n.letter_id', '=', letterId)
    .executeTakeFirstOrThrow();
  const body = notice.body ?? '';
  return {
    letterId: notice.letter_id,
    kind: noticeKind,
    channel: notice.channel === 'email' ? 'email' : 'post',
    postedOn: notice.posted_on ?? notice.collection_date,
    subject: /^Onderwerp: (.+)$/m.exec(body)?.[1] ?? 'aankondiging automatische incasso',
    body,
    pdf: notice.pdf,
    sha256: notice.sha256,
    pages: notice.pages,
    recipient: { name: notice.occupant_name, street: notice.occupant_street, postalCode: notice.occupant_postal_code, city: notice.occupant_city, email: notice.occupant_email, phone: null },
    senderName: notice.creditor_name,
  };
}
