import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { PaymentProviderClient, PaymentProviderError } from '../../shared/payment-provider/provider-client.js';
import type { Config } from '../../shared/config.js';
import type { Database } from '../../infra/db/database.js';
import type { PaymentLinkTable } from '../../infra/db/payment-link-tables.js';
import { noteCase } from '../../infra/observability/log-context.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { formatMoney, money } from '../../shared/money.js';
import type { RegisterPaymentRequest, RegisterPaymentResult } from '../../shared/track/track-input.js';
import type { TrackStatus } from '../../shared/track/track-status.js';
import { conflict, HttpError, serviceUnavailable, unprocessable } from '../http/errors.js';

/** What links need of the tracks: the balance to ask for, and the booking (the track is the one truth of payments). */
export interface LinkTracks {
  status(workflowId: string): Promise<TrackStatus>;
  deliverPayment(workflowId: string, payment: RegisterPaymentRequest): Promise<RegisterPaymentResult>;
}

/** The payment provider as the API uses it; absent when none is configured (links then answer 503). */
export interface PaymentProviderSettings {
  readonly client: PaymentProviderClient;
  /** PAYMENT_PROVIDER_WEBHOOK_SECRET: what the webhook's signature is checked with. */
  readonly webhookSecret: string;
  /** Where the provider calls back: read when a link is made (a test knows its port only once listening). */
  readonly webhookUrl: () => string;
  /** Where the payer's browser goes after paying; none: the provider's own page. */
  readonly redirectUrl?: string;
  /** How long a link stays payable. */
  readonly validityDays?: number;
}

/**
 * The provider as configured (PAYMENT_PROVIDER_API_KEY and its webhook secret), for the API and
 * the letter service alike; null without them: links answer 503 and letters print none.
 */
export function paymentProviderFromConfig(config: Config): PaymentProviderSettings | null {
  if (!config.PAYMENT_PROVIDER_API_KEY || !config.PAYMENT_PROVIDER_WEBHOOK_SECRET) return null;
  return {
    client: new PaymentProviderClient({ url: config.paymentProviderUrl, apiKey: config.PAYMENT_PROVIDER_API_KEY }),
    webhookSecret: config.PAYMENT_PROVIDER_WEBHOOK_SECRET,
    webhookUrl: () => config.paymentWebhookUrl,
  };
}

const defaultValidityDays = 14;
/** The payment's id on the track: the provider's, so every webhook for it names the same one. */
export const linkTransactionId = (providerPaymentId: string) => `link-${providerPaymentId}`;

const unavailable = (message: string) => serviceUnavailable('payment_provider_unavailable', message, 5);

/** A call to the provider; a provider that fails or cannot be reached is a 503 to our caller. */
async function askProvider<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PaymentProviderError) throw unavailable(error.message);
    throw error;
  }
}

/** One link request per case at a time (a retry racing the first, a letter and the API): the second finds the first's link. */
function underCaseLinkLock<T>(db: Kysely<Database>, caseId: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`payment-link/${caseId}`}))`.execute(trx);
    return work(trx);
  });
}

export function linkView(row: Selectable<PaymentLinkTable>) {
  return {
    linkId: row.link_id,
    caseId: row.case_id,
    url: row.checkout_url,
    amount: row.amount,
    currency: 'EUR' as const,
    expiresAt: row.expires_at.toISOString(),
    status: row.status,
    providerPaymentId: row.provider_payment_id,
    transactionId: row.transaction_id,
  };
}

/** The case a link is for, as its caller found it (the API: the case the key may see). */
export interface LinkedCase {
  readonly case_id: string;
  readonly corporation_id: string;
  readonly workflow_id: string;
}

/**
 * A link for the case's outstanding amount (or less): an open, unexpired link of that amount is
 * answered again, so a retried request or a second letter makes no second payment to pay.
 */
export async function createPaymentLink(
  db: Kysely<Database>,
  tracks: LinkTracks,
  provider: PaymentProviderSettings | undefined,
  { linkedCase, amount, actor }: { linkedCase: LinkedCase; amount?: string; actor: string },
): Promise<{ created: boolean; link: ReturnType<typeof linkView> }> {
  if (!provider) throw unavailable('no payment provider is configured (PAYMENT_PROVIDER_API_KEY, PAYMENT_PROVIDER_WEBHOOK_SECRET)');
  const { case_id: caseId, corporation_id: corporationId } = linkedCase;
  const status = await tracks.status(linkedCase.workflow_id);
  if (status.closedReason) throw conflict(`the case is closed (${status.closedReason}); nothing to pay`);
  const outstanding = money(status.balance.outstanding);
  if (outstanding.lte(0)) throw conflict('nothing is owed on the case');
  const asked = amount === undefined ? outstanding : money(amount);
  if (asked.gt(outstanding)) throw unprocessable('amount_above_outstanding', `${formatMoney(asked)} is more than the ${formatMoney(outstanding)} the case owes`);
  const value = formatMoney(asked);
  return underCaseLinkLock(db, caseId, (trx) => openOrNewLink(trx, provider, { caseId, corporationId, value, actor }));
}

/**
 * A link for what a letter asks, for the letter service as it renders: the amount is the legal
 * core's figure the track sent with the letter, so the track is not asked again. The same one open
 * link per case and amount as the API's, under the same lock; a paid one is booked by the webhook
 * like any other.
 */
export async function paymentLinkForLetter(
  db: Kysely<Database>,
  provider: PaymentProviderSettings,
  { caseId, corporationId, amount }: { caseId: string; corporationId: string; amount: string },
): Promise<ReturnType<typeof linkView>> {
  return underCaseLinkLock(db, caseId, async (trx) => (await openOrNewLink(trx, provider, { caseId, corporationId, value: formatMoney(amount), actor: 'letter-service' })).link);
}

async function openOrNewLink(
  db: Kysely<Database>,
  provider: PaymentProviderSettings,
  { caseId, corporationId, value, actor }: { caseId: string; corporationId: string; value: string; actor: string },
): Promise<{ created: boolean; link: ReturnType<typeof linkView> }> {
  const open = await db
    .selectFrom('payment_link')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', '=', 'open')
    .where('amount', '=', value)
    .where('expires_at', '>', new Date(Date.now() + 60 * 60 * 1000))
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (open) return { created: false, link: linkView(open) };

  const reference = await db.selectFrom('payment_reference').select('reference').where('case_id', '=', caseId).executeTakeFirst();
  const linkId = randomUUID();
  const expiresAt = new Date(Date.now() + (provider.validityDays ?? defaultValidityDays) * 86_400_000);
  const payment = await askProvider(() =>
    provider.client.createPayment({
      amount: { currency: 'EUR', value },
      // No name or address leaves for the provider: the reference a bank transfer would carry.
      description: reference ? `Huurachterstand, betalingskenmerk ${reference.reference}` : 'Huurachterstand',
      webhookUrl: provider.webhookUrl(),
      ...(provider.redirectUrl ? { redirectUrl: provider.redirectUrl } : {}),
      metadata: { linkId, caseId },
      expiresAt: expiresAt.toISOString(),
    }),
  );
  const stored = await db
    .insertInto('payment_link')
    .values({
      link_id: linkId,
      corporation_id: corporationId,
      case_id: caseId,
      provider_payment_id: payment.id,
      amount: value,
      checkout_url: payment._links.checkout.href,
      status: 'open',
      expires_at: payment.expiresAt,
      created_by: actor,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { created: true, link: linkView(stored) };
}

/**
 * What the provider's (verified) webhook names: the payment is fetched from the provider, never
 * taken from the call, and a paid one is booked on its case's track under an id derived from the
 * provider's, so a webhook sent twice, or two at once, books it once (the track refuses nothing it
 * knows: a repeat answers duplicate). A track that refuses it (the case closed meanwhile) leaves
 * the link paid with the refusal, for a person to refund.
 */
export async function handleProviderWebhook(
  db: Kysely<Database>,
  tracks: LinkTracks,
  provider: PaymentProviderSettings,
  providerPaymentId: string,
): Promise<{ booked: boolean; status: string | null }> {
  const link = await db
    .selectFrom('payment_link')
    .innerJoin('collection_case', 'collection_case.case_id', 'payment_link.case_id')
    .selectAll('payment_link')
    .select('collection_case.workflow_id')
    .where('provider_payment_id', '=', providerPaymentId)
    .executeTakeFirst();
  // Not one of ours: nothing to do, and nothing told about what exists.
  if (!link) return { booked: false, status: null };
  // The request's log lines name the case and its track from here on.
  noteCase({ caseId: link.case_id, workflowId: link.workflow_id });
  const payment = await askProvider(() => provider.client.getPayment(providerPaymentId));
  if (payment.id !== link.provider_payment_id) throw unavailable(`the provider answered payment ${payment.id} for ${link.provider_payment_id}`);
  if (payment.status !== 'paid' || !payment.paidAt) {
    if (payment.status !== link.status) await db.updateTable('payment_link').set({ status: payment.status }).where('link_id', '=', link.link_id).where('transaction_id', 'is', null).execute();
    return { booked: false, status: payment.status };
  }
  if (link.transaction_id || link.refusal) return { booked: false, status: 'paid' };

  const transactionId = linkTransactionId(payment.id);
  const bookedOn = amsterdamDate(Date.parse(payment.paidAt));
  let result: RegisterPaymentResult;
  try {
    // The amount the provider says was paid: a link for 100 paid with 100 books 100, whatever the call said.
    result = await tracks.deliverPayment(link.workflow_id, { transactionId, amount: payment.amount.value, bookedOn });
  } catch (error) {
    if (!(error instanceof HttpError) || error.status >= 500) throw error;
    await db
      .updateTable('payment_link')
      .set({ status: 'paid', paid_at: payment.paidAt, refusal: `${error.status} ${error.code}: ${error.message}` })
      .where('link_id', '=', link.link_id)
      .execute();
    return { booked: false, status: 'paid' };
  }
  const updated = await db
    .updateTable('payment_link')
    .set({ status: 'paid', paid_at: payment.paidAt, transaction_id: transactionId, booked_on: bookedOn })
    .where('link_id', '=', link.link_id)
    .where('transaction_id', 'is', null)
    .executeTakeFirst();
  return { booked: !result.duplicate && updated.numUpdatedRows > 0n, status: 'paid' };
}
