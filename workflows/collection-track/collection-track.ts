import {
  condition,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { addDays, compareIsoDates } from '../../shared/calendar/iso-date.js';
import { amsterdamDate, amsterdamInstant } from '../../shared/calendar/amsterdam-clock.js';
import { deliveryOffsetOn } from '../../shared/calendar/presumed-delivery.js';
import { collectionCosts } from '../../shared/legal/collection-costs.js';
import { wikLetterTerm } from '../../shared/legal/wik-letter-term.js';
import { centsOf, money, formatMoney } from '../../shared/money.js';
import { defaultCollectionPolicy } from '../../shared/policy/collection-policy.js';
import {
  CollectionStage,
  CorporationId,
  DebtorSegment,
  NextDeadline,
  OutstandingCents,
} from '../../shared/search-attributes.js';
import { registerClaimsUpdate, registerPaymentUpdate, trackStatusQuery } from '../../shared/track/messages.js';
import {
  registerClaimsRequestSchema,
  registerPaymentRequestSchema,
  type CollectionTrackInput,
  type CorporationSettings,
} from '../../shared/track/track-input.js';
import type { TrackStatus } from '../../shared/track/track-status.js';
import { serviceActivities } from './activities.js';
import { TrackState } from './track-state.js';

const { sendLetter, ensurePaymentReference, loadCorporationSettings } = serviceActivities;

const today = () => amsterdamDate(Date.now());

/**
 * One debtor's collection track (one tenancy contract of one corporation): reminder, the 14-day
 * letter with its statutory term, then hand-over. Payments can arrive at any moment and a zero
 * balance closes the track as paid, whatever stage it is in.
 */
export async function collectionTrack(input: CollectionTrackInput): Promise<TrackStatus> {
  const track = new TrackState(input);
  const policy = defaultCollectionPolicy;

  setHandler(
    registerClaimsUpdate,
    (request) => {
      const result = track.registerClaims(request.claims, Date.now());
      publish(track);
      return result;
    },
    { validator: (request) => void registerClaimsRequestSchema.parse(request) },
  );
  setHandler(
    registerPaymentUpdate,
    (request) => {
      const fresh = track.registerPayment(request, Date.now());
      closeIfSettled(track);
      publish(track);
      return { duplicate: !fresh, outstanding: track.outstanding(today()), closed: track.closed };
    },
    { validator: (request) => void registerPaymentRequestSchema.parse(request) },
  );
  setHandler(trackStatusQuery, (asOf) => track.status(Date.now(), asOf));

  track.record('track opened', Date.now());
  const settings = await loadCorporationSettings(input.corporationId);
  await ensurePaymentReference(input.caseId);
  publish(track);

  await remind(track, policy.firstReminderAfterDefaultDays);
  if (!track.closed) await waitUntil(track, addDays(lastLetterDate(track), policy.wikLetterAfterReminderDays));
  if (!track.closed) await sendWikLetterAndAwaitTerm(track, settings);
  if (!track.closed) {
    track.moveTo('awaiting_handover', Date.now(), null);
    publish(track);
  }
  await condition(() => track.closed);
  return track.status(Date.now());
}

function lastLetterDate(track: TrackState): string {
  return track.letters.at(-1)?.date ?? today();
}

/** Sleeps until the start of an Amsterdam day, waking early when the track closes. */
async function waitUntil(track: TrackState, date: string, summary = `wait until ${date}`): Promise<void> {
  const ms = amsterdamInstant(date) - Date.now();
  if (ms > 0) await condition(() => track.closed, ms, { summary });
}

function closeIfSettled(track: TrackState): void {
  if (!track.closed && track.isSettled(today())) track.close('paid', Date.now());
}

/** The first reminder once the oldest open claim has been in default for the policy's days. */
async function remind(track: TrackState, afterDefaultDays: number): Promise<void> {
  track.moveTo('reminder', Date.now());
  publish(track);
  await condition(() => track.closed || track.claims.length > 0);
  for (;;) {
    if (track.closed) return;
    const oldest = track.ledger(today()).claims.filter((c) => c.open !== '0.00').map((c) => c.dueDate).sort(compareIsoDates)[0];
    if (!oldest) {
      // Nothing open (all paid ahead of time): wait for the next claim.
      const revision = track.revision;
      await condition(() => track.closed || track.revision !== revision);
      continue;
    }
    // Default starts the day after the due date (art. 6:83 sub a BW).
    const remindOn = addDays(oldest, 1 + afterDefaultDays);
    if (compareIsoDates(today(), remindOn) >= 0) break;
    track.nextDeadline = { kind: 'first_reminder', date: remindOn };
    publish(track);
    const revision = track.revision;
    const ms = amsterdamInstant(remindOn) - Date.now();
    await condition(() => track.closed || track.revision !== revision, ms, { summary: `first reminder on ${remindOn}` });
  }
  const ledger = track.ledger(today());
  const open = ledger.claims.filter((c) => c.open !== '0.00');
  const letter = await sendLetter({
    idempotencyKey: `${workflowInfo().workflowId}/reminder/${track.letters.length + 1}`,
    caseId: track.input.caseId,
    kind: 'reminder',
    postedOn: today(),
    facts: {
      invoiceRefs: open.map((c) => c.invoiceRef),
      principal: ledger.balance.principal,
      interest: ledger.balance.interest,
      outstanding: ledger.balance.outstanding,
    },
  });
  track.addLetter(
    { letterId: letter.letterId, kind: 'reminder', date: letter.postedOn, channel: letter.channel, deliveredAt: letter.deliveredOn, invoiceRefs: open.map((c) => c.invoiceRef) },
    Date.now(),
  );
  publish(track);
}

/**
 * The 14-day letter (art. 6:96 lid 6 BW): every claim in default goes in, the costs are stated
 * exactly, and the term runs from the day after presumed delivery. The costs are charged only
 * when the term has passed unpaid, over what was not paid in time.
 */
async function sendWikLetterAndAwaitTerm(track: TrackState, settings: CorporationSettings): Promise<void> {
  track.moveTo('wik_letter', Date.now());
  const postedOn = today();
  const ledger = track.ledger(postedOn);
  const inDefault = ledger.claims.filter((c) => c.open !== '0.00' && compareIsoDates(c.dueDate, postedOn) < 0);
  const principal = formatMoney(inDefault.reduce((sum, c) => sum.plus(c.open), money('0')));
  const costs = collectionCosts({ principal, vatSurcharge: settings.vatSurcharge });
  const term = wikLetterTerm({ posted: postedOn, days: 14, deliveryDays: deliveryOffsetOn(postedOn, settings.deliveryOffsetSchedule) });
  const invoiceRefs = inDefault.map((c) => c.invoiceRef);
  const letter = await sendLetter({
    idempotencyKey: `${workflowInfo().workflowId}/wik/${track.letters.length + 1}`,
    caseId: track.input.caseId,
    kind: 'wik',
    postedOn,
    facts: {
      invoiceRefs,
      principal,
      interest: ledger.balance.interest,
      collectionCosts: costs.collectionCosts,
      vat: costs.vat,
      outstanding: ledger.balance.outstanding,
      termDays: 14,
      presumedDelivery: term.delivered,
      deadline: term.deadline,
    },
  });
  track.addLetter(
    {
      letterId: letter.letterId,
      kind: 'wik',
      date: letter.postedOn,
      channel: letter.channel,
      deliveredAt: letter.deliveredOn,
      presumedDelivery: term.delivered,
      deadline: term.deadline,
      invoiceRefs,
      collectionCosts: costs.collectionCosts,
      vat: costs.vat,
    },
    Date.now(),
  );
  track.nextDeadline = { kind: 'wik_term', date: term.deadline };
  publish(track);

  await waitUntil(track, term.costsDueFrom, `WIK 14-day term until ${term.deadline}`);
  if (track.closed) return;

  const unpaid = track
    .ledger(term.costsDueFrom)
    .claims.filter((c) => invoiceRefs.includes(c.invoiceRef))
    .reduce((sum, c) => sum.plus(c.open), money('0'));
  if (centsOf(formatMoney(unpaid)) === 0) return;
  // Never more than the letter announced: the costs over what was not paid in time.
  const charged = collectionCosts({ principal: formatMoney(unpaid), vatSurcharge: settings.vatSurcharge });
  const announced = money(costs.collectionCosts);
  const useCharged = money(charged.collectionCosts).lessThan(announced);
  track.chargeCosts(
    {
      letterId: letter.letterId,
      chargedOn: term.costsDueFrom,
      collectionCosts: useCharged ? charged.collectionCosts : costs.collectionCosts,
      vat: useCharged ? charged.vat : costs.vat,
    },
    Date.now(),
  );
}

/** Keeps the Temporal UI's view of the track current: search attributes and the details line. */
function publish(track: TrackState): void {
  const asOf = today();
  const outstanding = track.outstanding(asOf);
  upsertSearchAttributes([
    { key: CollectionStage, value: track.stage },
    { key: CorporationId, value: track.input.corporationId },
    { key: DebtorSegment, value: track.confirmedSegment ?? track.input.proposedSegment },
    { key: OutstandingCents, value: centsOf(outstanding) },
    { key: NextDeadline, value: track.nextDeadline ? new Date(amsterdamInstant(track.nextDeadline.date)) : null },
  ]);
  const deadline = track.nextDeadline ? ` Next: ${track.nextDeadline.kind} on ${track.nextDeadline.date}.` : '';
  const closed = track.closedReason ? ` Closed: ${track.closedReason}.` : '';
  setCurrentDetails(`Stage: ${track.stage}. Outstanding: € ${outstanding}.${deadline}${closed}`);
}
