import { Router } from 'express';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { noteCase } from '../../infra/observability/log-context.js';
import { lettersSent } from '../../infra/observability/metrics.js';
import { notFound, parseInput, unprocessable } from '../http/errors.js';
import { serviceApp } from '../http/service-app.js';
import { sendLetterRequestSchema, shortChannels, type SentLetter } from '../../shared/letters/letter-contract.js';
import { money } from '../../shared/money.js';
import { log } from '../../infra/observability/logger.js';
import { paymentLinkForLetter, type PaymentProviderSettings } from '../payment-links/payment-link-service.js';
import { caseKeys, claimsOfCase } from '../../infra/db/case-store.js';
import { corporationLayout } from '../../infra/db/corporation-store.js';
import { channelFor, outgoingLetter } from './dispatch/outgoing-letter.js';
import { dispatchOnce } from './dispatch/dispatch-once.js';
import { createLetterCarriers, type CarrierSettings } from './dispatch/letter-carriers.js';
import { directDebitPrenoticeRoutes } from './direct-debit-prenotices.js';
import { renderLetterPdf } from './templates/letter-pdf.js';
import { composeLetter, renderLetter, templateVersionFor, type LetterContext } from './templates/render-letter.js';

export interface LetterServiceOptions {
  readonly db: Kysely<Database>;
  /**
   * The letters' outbox (`data/outbox/letters`); beside it the mail house's batch folders
   * (`../mailhouse/<date>/`), which a real print and mail house picks up over SFTP.
   */
  readonly outboxDir: string;
  /** The secret callers present (services/http/service-credential.ts). */
  readonly secret: string;
  /**
   * The payment provider the printed payment links come from (issue 12); absent: letters print
   * the account and betalingskenmerk only, never a link that nothing serves.
   */
  readonly paymentProvider?: PaymentProviderSettings;
  /** The carriers: the mail house's folder (default `<outboxDir>/../mailhouse`), the SMTP relay, the SMS gateway. */
  readonly carriers?: Partial<CarrierSettings>;
}

type LetterRow = { letter_id: string; kind: string; channel: string; posted_on: string; delivered_on: string | null };
const toSentLetter = (row: LetterRow): SentLetter => ({
  letterId: row.letter_id,
  kind: row.kind as SentLetter['kind'],
  channel: row.channel,
  postedOn: row.posted_on,
  deliveredOn: row.delivered_on,
});

/** Renders a letter, archives it in Postgres and drops it for posting; repeated keys return the first letter. */
export function createLetterService({ db, outboxDir, secret, paymentProvider, carriers: carrierSettings = {} }: LetterServiceOptions) {
  const carriers = createLetterCarriers({ mailhouseDir: join(dirname(outboxDir), 'mailhouse'), ...carrierSettings });
  const routes = Router();
  routes.use(directDebitPrenoticeRoutes({ db, carriers }));

  routes.post('/letters', async (req, res) => {
    const request = parseInput(sendLetterRequestSchema, req.body, 'letter');
    noteCase({ caseId: request.caseId });
    const existing = await db.selectFrom('letter').select('letter_id').where('idempotency_key', '=', request.idempotencyKey).executeTakeFirst();
    // Stored first (pending), dispatched after: a retry finds the letter and finishes its dispatch.
    const stored = existing ? { letterId: existing.letter_id, created: false } : await storeLetter(request);
    await dispatchOnce(db, stored.letterId, async () => {
      const letter = await outgoingLetter(db, stored.letterId);
      const dispatched = await carriers.send(letter);
      // Counted once its carrier took it: a retry that finds it sent does not come here.
      lettersSent.inc({ kind: letter.kind, channel: letter.channel });
      return dispatched;
    });
    const row = await db.selectFrom('letter').select(['letter_id', 'kind', 'channel', 'posted_on', 'delivered_on']).where('letter_id', '=', stored.letterId).executeTakeFirstOrThrow();
    res.status(stored.created ? 201 : 200).json(toSentLetter(row));
  });

  /** Renders the letter for the channel it will actually go by and stores it, pending dispatch. */
  async function storeLetter(request: z.infer<typeof sendLetterRequestSchema>): Promise<{ letterId: string; created: boolean }> {
    const debtor = await db.selectFrom('debtor').selectAll().where('case_id', '=', request.caseId).executeTakeFirst();
    if (!debtor) throw unprocessable('unknown_debtor', `no debtor on record for case ${request.caseId}`);
    // A letter about the case as a whole names no invoices, and so prints none.
    const claims = await claimsOfCase(db, request.caseId, request.facts.invoiceRefs);
    const reference = await db
      .selectFrom('payment_reference')
      .select('reference')
      .where('case_id', '=', request.caseId)
      .executeTakeFirst();

    const collectionCase = await caseKeys(db, request.caseId);
    const layout = collectionCase ? await corporationLayout(db, collectionCase.corporation_id) : null;
    const channel = await channelFor(db, carriers, request, debtor);
    const paymentReference = reference?.reference ?? null;
    const base: LetterContext = {
      kind: request.kind,
      channel,
      recipient: { name: debtor.name, street: debtor.street, postalCode: debtor.postal_code, city: debtor.city },
      claims,
      facts: request.facts,
      postedOn: request.postedOn,
      paymentReference,
      sender: layout,
      paymentLink: null,
    };
    const context: LetterContext = { ...base, paymentLink: collectionCase ? await paymentLinkFor(collectionCase, base) : null };
    const template = templateVersionFor(request.kind, channel);
    // The plain text is kept beside the PDF: searchable, and what a short message sends.
    const body = renderLetter(context);
    const rendered = shortChannels.has(channel) ? null : await renderLetterPdf(context, template);
    const inserted = await db
      .insertInto('letter')
      .values({
        letter_id: randomUUID(),
        idempotency_key: request.idempotencyKey,
        case_id: request.caseId,
        kind: request.kind,
        channel,
        posted_on: request.postedOn,
        delivered_on: null,
        template,
        body,
        pdf: rendered?.pdf ?? null,
        sha256: rendered?.sha256 ?? null,
        pages: rendered?.pages ?? null,
        facts: JSON.stringify(request.facts),
        // Which of the debtor's versions the address block was printed from.
        debtor_version: debtor.version,
        policy_version: request.policyVersion ?? null,
        dispatch_state: 'pending',
      })
      // Two concurrent retries: the loser reads the winner's row.
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('letter_id')
      .executeTakeFirst();
    if (inserted) return { letterId: inserted.letter_id, created: true };
    const winner = await db.selectFrom('letter').select('letter_id').where('idempotency_key', '=', request.idempotencyKey).executeTakeFirstOrThrow();
    return { letterId: winner.letter_id, created: false };
  }

  /**
   * A real link from the payment provider for what the letter asks, or none: without a provider,
   * or when it does not answer (the letter goes on time with the account and betalingskenmerk).
   */
  async function paymentLinkFor({ case_id: caseId, corporation_id: corporationId }: { case_id: string; corporation_id: string }, ctx: LetterContext): Promise<string | null> {
    if (!paymentProvider || !ctx.paymentReference) return null;
    const amount = amountAsked(ctx);
    if (!amount) return null;
    if (!shortChannels.has(ctx.channel) && !composeLetter(ctx).asksForMoney) return null;
    try {
      return (await paymentLinkForLetter(db, paymentProvider, { caseId, corporationId, amount })).url;
    } catch (error) {
      log().warn({ err: error }, 'no payment link for the letter: the payment provider did not answer');
      return null;
    }
  }

  routes.get('/letters', async (req, res) => {
    const { caseId } = parseInput(z.object({ caseId: z.string().uuid() }), req.query, 'query');
    const rows = await db
      .selectFrom('letter')
      .select(['letter_id', 'kind', 'channel', 'posted_on', 'delivered_on', 'template', 'debtor_version'])
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .execute();
    res.json({ letters: rows.map((r) => ({ ...toSentLetter(r), template: r.template, debtorVersion: r.debtor_version })) });
  });

  routes.get('/letters/:letterId', async (req, res) => {
    const { letterId } = parseInput(z.object({ letterId: z.string().uuid() }), req.params, 'path');
    const row = await db
      .selectFrom('letter')
      .select(['letter_id', 'kind', 'channel', 'posted_on', 'delivered_on', 'template', 'debtor_version', 'body', 'facts', 'sha256', 'pages'])
      .where('letter_id', '=', letterId)
      .executeTakeFirst();
    if (!row) throw notFound(`no letter ${letterId}`);
    res.json({ ...toSentLetter(row), template: row.template, debtorVersion: row.debtor_version, body: row.body, facts: row.facts, sha256: row.sha256, pages: row.pages });
  });

  return serviceApp({ service: 'letters', jsonLimit: '256kb', secret, checkHealth: () => db.selectFrom('letter').select('letter_id').limit(1).execute() }, routes);
}

/**
 * What the letter's link asks: the instalment an instalment reminder is about, the first one of a
 * confirmed arrangement, the rent a pre-notice announces, otherwise what is outstanding. None when
 * that is nothing.
 */
function amountAsked(ctx: LetterContext): string | null {
  const { facts } = ctx;
  const amount =
    ctx.kind === 'instalment_reminder' ? (facts.instalment?.amount ?? facts.principal)
    : ctx.kind === 'arrangement_confirmation' ? (facts.instalments?.[0]?.amount ?? facts.outstanding)
    : ctx.kind === 'prenotice' ? facts.principal
    : facts.outstanding;
  // Absent for the kinds that print no amounts (eviction information): they ask for nothing.
  return amount !== undefined && money(amount).gt(0) ? amount : null;
}
