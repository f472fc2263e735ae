import { Router } from 'express';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { HttpError, unprocessable } from '../../http/errors.js';
import { callerOf } from '../auth.js';
import { requirePlausibleDates } from '../date-checks.js';
import { dossierData } from '../dossier/dossier-data.js';
import { renderDossierPdf } from '../dossier/dossier-pdf.js';
import { letterChannelContracts as contracts } from '../requests/letter-channels.js';
import type { TrackClient } from '../../track-client/track-client.js';
import { letterRecord } from './letters.js';
import { mountRoute } from './mount-route.js';

export interface LetterChannelRoutesDeps {
  readonly db: Kysely<Database>;
  readonly tracks: TrackClient;
  /** Today's Amsterdam date: the real clock, or the simulation's. */
  readonly today: () => Promise<string>;
}

/** Proof of delivery reported back, the tenant's consent per channel, and the case dossier for a court. */
export function letterChannelRoutes({ db, tracks, today }: LetterChannelRoutesDeps): Router {
  const router = Router();

  mountRoute(router, contracts.recordDelivery, async ({ params: { letterId }, body: report }, res) => {
    requirePlausibleDates('delivery', await today(), [{ path: ['deliveredOn'], date: report.deliveredOn, maxDaysAfter: 0 }]);
    // The scope found the letter; a concurrent second report waits for the first (row lock) and is judged against it.
    await db.transaction().execute(async (trx) => {
      const letter = await trx
        .selectFrom('letter')
        .select(['channel', 'posted_on', 'delivered_on', 'tracking_code', 'delivery_basis'])
        .where('letter_id', '=', letterId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (letter.channel !== 'registered_post') throw new HttpError(409, 'not_registered', `letter ${letterId} went by ${letter.channel}, not as registered post: its delivery is presumed`);
      if (letter.delivery_basis === 'registered_post') {
        if (letter.delivered_on === report.deliveredOn && letter.tracking_code === report.trackingCode) return;
        throw new HttpError(409, 'delivery_differs', `letter ${letterId} was reported delivered on ${letter.delivered_on} under ${letter.tracking_code}`);
      }
      if (report.deliveredOn < letter.posted_on) throw unprocessable('delivered_before_posting', `letter ${letterId} was posted on ${letter.posted_on}; it cannot have been delivered on ${report.deliveredOn}`);
      await trx
        .updateTable('letter')
        .set({
          delivered_on: report.deliveredOn,
          delivery_basis: 'registered_post',
          tracking_code: report.trackingCode,
          delivery_evidence: report.evidence ?? null,
          delivery_reported_at: sql<Date>`now()`,
        })
        .where('letter_id', '=', letterId)
        .execute();
    });
    // The track takes it too (a repeat again, so a report whose signal failed is delivered by the retry):
    // a 14-day letter delivered later than presumed moves its term (workflows/collection-track/letter-delivery.ts).
    const track = await db
      .selectFrom('letter')
      .innerJoin('collection_case', 'collection_case.case_id', 'letter.case_id')
      .select('collection_case.workflow_id')
      .where('letter.letter_id', '=', letterId)
      .executeTakeFirstOrThrow();
    await tracks.signalLetterDelivered(track.workflow_id, { letterId, deliveredOn: report.deliveredOn });
    res.json(await letterRecord(db, letterId));
  });

  mountRoute(router, contracts.putConsent, async ({ params: { caseId }, body: consent }, res) => {
    const recordedBy = callerOf(res.locals).actor;
    const values = { email: consent.email, sms: consent.sms, whatsapp: consent.whatsapp, recorded_by: recordedBy, recorded_at: new Date() };
    const row = await db
      .insertInto('debtor_consent')
      .values({ case_id: caseId, ...values })
      .onConflict((oc) => oc.column('case_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    res.json({ caseId, email: row.email, sms: row.sms, whatsapp: row.whatsapp, recordedBy: row.recorded_by, recordedAt: row.recorded_at.toISOString() });
  });

  mountRoute(router, contracts.caseDossier, async ({ params: { caseId } }, res) => {
    const pdf = await renderDossierPdf(await dossierData(db, tracks, caseId), await today());
    res.status(200).type('application/pdf').setHeader('Content-Disposition', `inline; filename="dossier-${caseId}.pdf"`);
    res.send(pdf);
  });
  return router;
}
