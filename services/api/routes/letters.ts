import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { notFound } from '../../http/errors.js';
import { letterContracts as contracts, type LetterRecord } from '../requests/letters.js';
import { mountRoute } from './mount-route.js';

/** The letters a case was sent, as the letter service archived them (the scope checked the case). */
export function letterRoutes(db: Kysely<Database>): Router {
  const router = Router();

  mountRoute(router, contracts.getLetter, async ({ params: { letterId } }, res) => {
    const row = await db
      .selectFrom('letter')
      .select(['letter_id', 'case_id', 'kind', 'channel', 'template', 'sha256', 'pages', 'posted_on', 'delivered_on', 'facts'])
      .where('letter_id', '=', letterId)
      .executeTakeFirst();
    if (!row) throw notFound(`no letter ${letterId}`);
    const facts = row.facts as { presumedDelivery?: string };
    const letter: LetterRecord = {
      letterId: row.letter_id,
      caseId: row.case_id,
      kind: row.kind,
      channel: row.channel,
      templateVersion: row.template,
      // The letter service is not told the policy version yet; the track's state holds it.
      policyVersion: null,
      sha256: row.sha256,
      pages: row.pages,
      dispatchedAt: row.posted_on,
      // No channel reports delivery yet: what the legal core presumes (the 14-day letter's facts say when).
      delivery: row.delivered_on
        ? { on: row.delivered_on, basis: 'actual', evidence: null }
        : { on: facts.presumedDelivery ?? null, basis: 'presumed', evidence: null },
    };
    res.json(letter);
  });

  mountRoute(router, contracts.getLetterPdf, async ({ params: { letterId } }, res) => {
    const row = await db.selectFrom('letter').select(['pdf']).where('letter_id', '=', letterId).executeTakeFirst();
    if (!row?.pdf) throw notFound(`letter ${letterId} has no PDF`);
    res.status(200).type('application/pdf').setHeader('Content-Disposition', `inline; filename="${letterId}.pdf"`);
    res.send(row.pdf);
  });
  return router;
}
