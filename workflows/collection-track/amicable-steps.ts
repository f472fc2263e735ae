import { workflowInfo } from '@temporalio/workflow';
import { deliveryOffsetOn } from '../../shared/calendar/presumed-delivery.js';
import { collectionCosts, vatOnCosts } from '../../shared/legal/collection-costs.js';
import { nextWikLetterContent } from '../../shared/legal/wik-letter-claims.js';
import { wikLetterTerm } from '../../shared/legal/wik-letter-term.js';
import { centsOf, formatMoney, money, Money, sumMoney } from '../../shared/money.js';
import type { MessageChannel } from '../../shared/policy/collection-policy.js';
import { taskId, type TaskKind } from '../../shared/track/task-messages.js';
import type { LetterRecord } from '../../shared/track/track-status.js';
import { serviceActivities } from '../activity-proxies.js';
import type { TrackState } from './track-state.js';
import { today } from '../workflow-clock.js';

const { sendLetter, openTask, closeTask, sendEarlyWarning, loadCollectionPolicy } = serviceActivities;

/**
 * Adopts the corporation's current policy version. Called only at a safe point: the start of a
 * cycle (no letter of it sent yet) or a resume after parking, so one cycle never mixes versions.
 */
export async function loadPolicy(track: TrackState): Promise<void> {
  track.adoptPolicy(await loadCollectionPolicy(track.input.corporationId), Date.now());
}

export async function sendPrenotice(track: TrackState, invoiceRefs: readonly string[], channel: MessageChannel): Promise<void> {
  const claims = track.claims.filter((c) => invoiceRefs.includes(c.invoiceRef));
  const amount = formatMoney(sumMoney(claims.map((c) => c.amount)));
  const letter = await sendLetter({
    idempotencyKey: `${workflowInfo().workflowId}/prenotice/${invoiceRefs.join('+')}`,
    caseId: track.input.caseId,
    kind: 'prenotice',
    channel,
    postedOn: today(),
    policyVersion: track.data.policy?.version,
    facts: { invoiceRefs: [...invoiceRefs], principal: amount, interest: '0.00', outstanding: track.outstanding(today()) },
  });
  if (track.stage === 'reminder' && track.lettersOfCycle.every((l) => l.kind === 'prenotice')) track.moveTo('prenotice', Date.now());
  track.addLetter(
    { letterId: letter.letterId, kind: 'prenotice', date: letter.postedOn, channel: letter.channel, deliveredAt: letter.deliveredOn, invoiceRefs: [...invoiceRefs], policyVersion: track.data.policy?.version },
    Date.now(),
  );
}

/** A rung of the reminder ladder: with the debt-help pointer and the early-warning offer. */
export async function sendReminder(track: TrackState, rung: number, channel: MessageChannel): Promise<void> {
  const ledger = track.ledger(today());
  const open = ledger.claims.filter((c) => money(c.open).gt(0));
  const letter = await sendLetter({
    idempotencyKey: `${workflowInfo().workflowId}/reminder/${track.cycle}/${rung + 1}`,
    caseId: track.input.caseId,
    kind: 'reminder',
    channel,
    postedOn: today(),
    policyVersion: track.data.policy?.version,
    facts: {
      invoiceRefs: open.map((c) => c.invoiceRef),
      principal: formatMoney(sumMoney(open.map((c) => c.open))),
      interest: ledger.balance.interest,
      outstanding: ledger.balance.outstanding,
    },
  });
  if (track.stage === 'prenotice') track.moveTo('reminder', Date.now());
  if (rung === 0) track.emit('first_reminder', letter.letterId, letter.postedOn, ledger.balance.outstanding);
  track.addLetter(
    {
      letterId: letter.letterId,
      kind: 'reminder',
      date: letter.postedOn,
      channel: letter.channel,
      deliveredAt: letter.deliveredOn,
      invoiceRefs: open.map((c) => c.invoiceRef),
      policyVersion: track.data.policy?.version,
    },
    Date.now(),
  );
}

/**
 * The 14-day letter (art. 6:96 lid 6 BW): every claim in default that no earlier 14-day letter
 * held goes in (lid 7), the costs are stated exactly, and the term runs from the day after
 * presumed delivery.
 */
export async function sendWikLetter(track: TrackState, alongside = false): Promise<void> {
  const postedOn = today();
  const settings = track.data.settings!;
  const ledger = track.ledger(postedOn);
  const earlierLetters = track.letters
    .filter((l) => l.kind === 'wik')
    .map((l) => ({ letterId: l.letterId, postedOn: l.date, claimIds: l.invoiceRefs, principal: l.principal ?? '0.00', collectionCosts: l.collectionCosts ?? '0.00' }));
  const content = nextWikLetterContent({
    openClaims: ledger.claims.map((c) => ({ claimId: c.invoiceRef, dueDate: c.dueDate, openPrincipal: c.open })),
    earlierLetters,
    today: postedOn,
  });
  if (!content) {
    // Nothing in default that a 14-day letter may still claim: wait for hand-over instead.
    if (!alongside) track.moveTo('awaiting_handover', Date.now());
    return;
  }
  if (!alongside && track.stage !== 'wik_letter') track.moveTo('wik_letter', Date.now());
  const vat = formatMoney(vatOnCosts(content.collectionCosts, settings.vatSurcharge, postedOn));
  const term = wikLetterTerm({ posted: postedOn, days: 14, deliveryDays: deliveryOffsetOn(postedOn, settings.deliveryOffsetSchedule) });
  const letter = await sendLetter({
    idempotencyKey: `${workflowInfo().workflowId}/wik/${track.cycle}`,
    caseId: track.input.caseId,
    kind: 'wik',
    postedOn,
    policyVersion: track.data.policy?.version,
    facts: {
      invoiceRefs: [...content.claimIds],
      principal: content.principal,
      interest: ledger.balance.interest,
      collectionCosts: content.collectionCosts,
      vat,
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
      costsDueFrom: term.costsDueFrom,
      invoiceRefs: [...content.claimIds],
      principal: content.principal,
      collectionCosts: content.collectionCosts,
      vat,
      policyVersion: track.data.policy?.version,
      ...(alongside ? { alongside } : {}),
    },
    Date.now(),
  );
  if (alongside) track.record(`14-day letter ${letter.letterId} for ${content.claimIds.join(', ')}, which fell due after the cycle's letter`, Date.now());
  track.emit('wik_letter', letter.letterId, letter.postedOn, content.principal);
  if (content.smallInstalments) {
    const r = content.smallInstalments;
    track.record(`small-instalment rule (art. 6:96 lid 8): costs ${content.collectionCosts} instead of ${r.costsBeforeRule}, counted with ${r.earlierLetterIds.join(', ') || 'no earlier letter'} since ${r.windowFrom}`, Date.now());
  }
}

/**
 * The term has passed (moved on by any hold). Costs are owed over what was not paid in time (never
 * more than the letter announced); if the letter's claims were paid, any newer claims start a
 * cycle of their own.
 */
export function endWikTerm(track: TrackState, letterId: string): void {
  const letter = track.letters.find((l) => l.letterId === letterId)!;
  const costsDueFrom = track.extendByHolds(letter.costsDueFrom!, letter.date);
  const unpaid = unpaidOf(track, letter, costsDueFrom);
  if (centsOf(unpaid) === 0) {
    track.moveTo('reminder', Date.now());
    return;
  }
  chargeWikCosts(track, letter, unpaid, costsDueFrom);
  track.moveTo('awaiting_handover', Date.now());
}

/** The term of a 14-day letter sent alongside the cycle's has passed: its costs, and no change of stage. */
export function endLaterWikTerm(track: TrackState, letterId: string): void {
  const letter = track.letters.find((l) => l.letterId === letterId)!;
  const costsDueFrom = track.extendByHolds(letter.costsDueFrom!, letter.date);
  track.wikTermEnded(letterId);
  const unpaid = unpaidOf(track, letter, costsDueFrom);
  if (centsOf(unpaid) === 0) {
    track.record(`the claims of 14-day letter ${letterId} were paid within its term`, Date.now());
    return;
  }
  chargeWikCosts(track, letter, unpaid, costsDueFrom);
}

function unpaidOf(track: TrackState, letter: LetterRecord, costsDueFrom: string) {
  return sumMoney(
    track
      .ledger(costsDueFrom)
      .claims.filter((c) => letter.invoiceRefs.includes(c.invoiceRef))
      .map((c) => c.open),
  );
}

/** Costs over what stayed unpaid after the term, never more than the letter announced. */
function chargeWikCosts(track: TrackState, letter: LetterRecord, unpaid: Money, costsDueFrom: string): void {
  const settings = track.data.settings!;
  const overUnpaid = collectionCosts({ principal: formatMoney(unpaid), vatSurcharge: settings.vatSurcharge, on: costsDueFrom });
  const costs = Money.min(overUnpaid.collectionCosts, letter.collectionCosts ?? '0.00');
  track.chargeCosts(
    {
      kind: 'collection_costs',
      letterId: letter.letterId,
      chargedOn: costsDueFrom,
      collectionCosts: formatMoney(costs),
      vat: formatMoney(vatOnCosts(costs, settings.vatSurcharge, costsDueFrom)),
    },
    Date.now(),
  );
}

/** A call round or home visit goes on the worklist; the person's outcome comes back by update. */
export async function openWorkTask(track: TrackState, kind: TaskKind, expiresOn: string): Promise<void> {
  const id = taskId(workflowInfo().workflowId, kind, track.cycle);
  const openedOn = today();
  await openTask({ taskId: id, caseId: track.input.caseId, corporationId: track.input.corporationId, kind, openedOn, expiresOn, arrears: track.outstanding(openedOn) });
  track.addTask({ taskId: id, kind, cycle: track.cycle, openedOn, expiresOn, status: 'open', outcome: null, completedOn: null }, Date.now());
}

/** Ends tasks that got no outcome in time (expired) or that the track no longer needs (cancelled). */
export async function endWorkTasks(track: TrackState, status: 'expired' | 'cancelled', taskIds: readonly string[]): Promise<void> {
  for (const id of taskIds) {
    const task = track.data.tasks.find((t) => t.taskId === id && t.status === 'open');
    if (!task) continue;
    await closeTask({ taskId: id, status, closedOn: today() });
    track.endTask(task, status, Date.now());
  }
}

/** The early-warning signal (domain.md §7): ids and amounts; the activity adds the contact details. */
export async function sendEarlyWarningSignal(track: TrackState): Promise<void> {
  const signalDate = today();
  const arrears = track.outstanding(signalDate);
  const receipt = await sendEarlyWarning({
    idempotencyKey: `${workflowInfo().workflowId}/early-warning`,
    caseId: track.input.caseId,
    corporationId: track.input.corporationId,
    municipalityCode: track.input.municipalityCode ?? null,
    arrears,
    inDefaultSince: track.defaultSince(signalDate)!,
    signalDate,
    evidence: {
      reminderLetterIds: track.letters.filter((l) => l.kind === 'reminder').map((l) => l.letterId),
      contactTaskIds: track.contactAttempts.map((t) => t.taskId),
    },
  });
  track.earlyWarningSent(receipt, arrears, Date.now());
}
