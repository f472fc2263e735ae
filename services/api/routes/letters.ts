import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { notFound } from '../../http/errors.js';
import { letterContracts as contracts, type LetterRecord } from '../requests/letters.js';
import { mountRoute } from './mount-route.js';
import { deliveryColumns, deliveryOf, wikTermEffect } from '../letter-delivery.js';

/** A letter as GET /v1/letters/:letterId answers it: what was sent, and its proof of delivery. */
export async function letterRecord(db: Kysely<Database>, letterId: string): Promise<LetterRecord> {
  const row = await db.selectFrom('letter').select([...deliveryColumns, 'case_id', 'template', 'sha256', 'pages', 'policy_version']).where('letter_id', '=', letterId).executeTakeFirst();
  if (!row) throw notFound(`no letter ${letterId}`);
  return {
    letterId: row.letter_id,
    caseId: row.case_id,
    kind: row.kind,
    channel: row.channel,
    templateVersion: row.template,
    // As the track sent it; null for letters from before the track said.
    policyVersion: row.policy_version,
    sha256: row.sha256,
    pages: row.pages,
    dispatchedAt: row.posted_on,
    delivery: deliveryOf(row),
    wikTerm: wikTermEffect(row),
  };
}

/** The letters a case was sent, as the letter service archived them (the scope checked the case). */
export function letterRoutes(db: Kysely<Database>): Router {
  const router = Router();

  mountRoute(router, contracts.getLetter, async ({ params: { letterId } }, res) => {
    res.json(await letterRecord(db, letterId));
  });

  mountRoute(router, contracts.getLetterPdf, async ({ params: { letterId } }, res) => {
    const row = await db.selectFrom('letter').select(['pdf']).where('letter_id', '=', letterId).executeTakeFirst();
    if (!row?.pdf) throw notFound(`letter ${letterId} has no PDF`);
    res.status(200).type('application/pdf').setHeader('Content-Disposition', `inline; filename="${letterId}.pdf"`);
    res.send(row.pdf);
  });
  return router;
}
