import { addDays, compareIsoDates, maxIsoDate as maxDate, type IsoDate } from '../../shared/calendar/iso-date.js';
import { money } from '../../shared/money.js';
import { firstDayOfDefault } from '../../shared/legal/first-day-of-default.js';
import { earlyWarningTimingFor, segmentPolicyFor, type MessageChannel, type SegmentPolicy } from '../../shared/policy/collection-policy.js';
import { disputeResponseDays, type TaskKind } from '../../shared/track/task-messages.js';
import type { TrackState } from './track-state.js';

/** What the track does next; `wait` with `until: null` waits for a message. */
export type NextStep =
  | { readonly kind: 'done' }
  | {
      readonly kind: 'wait';
      /** When the track wakes up to act. */
      readonly until: IsoDate | null;
      readonly reason: string;
      /** The date people should see, when it differs from the wake-up (a term's last day). */
      readonly lastDay?: IsoDate;
    }
  | { readonly kind: 'close_paid' }
  | { readonly kind: 'close_written_off' }
  | { readonly kind: 'cancel_tasks' }
  | { readonly kind: 'load_policy' }
  | { readonly kind: 'start_arrangement' }
  | { readonly kind: 'expire_task'; readonly taskId: string }
  | { readonly kind: 'end_task'; readonly taskId: string }
  | { readonly kind: 'send_prenotice'; readonly invoiceRefs: readonly string[]; readonly channel: MessageChannel }
  | { readonly kind: 'send_reminder'; readonly rung: number; readonly channel: MessageChannel }
  | { readonly kind: 'open_task'; readonly task: TaskKind; readonly expiresOn: IsoDate }
  | { readonly kind: 'send_early_warning' }
  | { readonly kind: 'send_wik_letter'; readonly alongside?: boolean }
  | { readonly kind: 'end_wik_term'; readonly letterId: string }
  | { readonly kind: 'end_later_wik_term'; readonly letterId: string }
  | { readonly kind: 'propose_handover' }
  | { readonly kind: 'start_bailiff_phase' }
  | { readonly kind: 'file_claim'; readonly proceeding: 'wsnp' | 'bankruptcy'; readonly rulingDate: IsoDate };

type Due = { readonly on: IsoDate; readonly step: NextStep; readonly reason: string };

/** The corporation's own stages, where its policy (ladder, tasks, early warning) applies. */
const amicableStages = new Set(['prenotice', 'reminder', 'wik_letter', 'awaiting_handover']);

/**
 * Asks whether a behaviour change applies to this track (the workflow passes Temporal's
 * `patched`): tracks recorded before the change keep their old path on replay.
 */
export type PatchCheck = (patchId: string) => boolean;

/**
 * The collection process as a pure decision over the track's state and today's date: which step
 * is due, or until when to wait. The workflow loop carries it out and asks again, so a message, a
 * timer or a new run after continue-as-new all resume at the right step.
 */
export function nextStep(track: TrackState, today: IsoDate, isPatched: PatchCheck = () => true): NextStep {
  const data = track.data;
  const openTasks = data.tasks.filter((t) => t.status === 'open');
  if (track.closed) return openTasks.length > 0 ? { kind: 'cancel_tasks' } : { kind: 'done' };
  if (data.proposals.some((p) => p.decision === 'write_off' && p.status === 'approved')) return { kind: 'close_written_off' };
  if (track.isSettled(today)) return { kind: 'close_paid' };
  if (track.parked) {
    // A WSNP ruling or a bankruptcy: the claim is filed with the administrator or trustee (§8).
    const filings = data.claimFilings;
    const unfiled = data.exceptions.find((e) => (e.kind === 'wsnp' || e.kind === 'bankruptcy') && !filings.some((f) => f.proceeding === e.kind));
    if (unfiled) return { kind: 'file_claim', proceeding: unfiled.kind as 'wsnp' | 'bankruptcy', rulingDate: unfiled.since };
    // A dispute goes to the complaints desk's worklist, with a date by which it should be answered.
    const dispute = data.exceptions.find((e) => e.kind === 'dispute');
    if (dispute && !data.tasks.some((t) => t.kind === 'dispute' && t.cycle === track.cycle)) {
      return { kind: 'open_task', task: 'dispute', expiresOn: addDays(maxDate(dispute.since, today), disputeResponseDays) };
    }
    const overdue = openTasks.find((t) => t.kind === 'dispute' && compareIsoDates(t.expiresOn, today) <= 0);
    if (overdue) return { kind: 'expire_task', taskId: overdue.taskId };
    const answerBy = openTasks.find((t) => t.kind === 'dispute')?.expiresOn ?? null;
    return { kind: 'wait', until: answerBy, reason: `parked: ${data.exceptions.map((e) => e.kind).join(', ')}` };
  }
  // The dispute was resolved: its task leaves the worklist.
  const settledDispute = openTasks.find((t) => t.kind === 'dispute');
  if (settledDispute) return { kind: 'end_task', taskId: settledDispute.taskId };

  const arrangement = track.activeArrangement;
  if (arrangement) {
    // Accepted and not yet confirmed, or carried into a new run (continue-as-new) without its monitor.
    if (arrangement.status === 'accepted' || !arrangement.monitorRunning) return { kind: 'start_arrangement' };
    return { kind: 'wait', until: null, reason: 'arrangement' };
  }
  if (!amicableStages.has(data.stage)) {
    // The bailiff phase (a child workflow) drives the stages from here; the track waits for its
    // reports, payments and decisions. Tasks of the corporation's own phase end here.
    if (openTasks.length > 0) return { kind: 'cancel_tasks' };
    // A later claim's own 14-day letter still ends its term (its costs), whoever has the case.
    const term = runningLaterWikTerms(track)[0];
    if (term && compareIsoDates(term.on, today) <= 0) return term.step;
    return { kind: 'wait', until: term?.on ?? null, reason: term?.reason ?? data.stage };
  }
  if (track.onHold) return { kind: 'wait', until: null, reason: 'hold' };
  if (!data.policy || (data.policyLoadedForCycle !== track.cycle && track.lettersOfCycle.length === 0)) return { kind: 'load_policy' };

  const policy = segmentPolicyFor(data.policy.policy, data.confirmedSegment);
  const due: Due[] = [];
  for (const task of openTasks) due.push({ on: task.expiresOn, step: { kind: 'expire_task', taskId: task.taskId }, reason: `${task.kind}_task_expires` });

  const ledger = track.ledger(today);
  const open = ledger.claims.filter((c) => money(c.open).gt(0));
  // The policy counts its days from the first day of default.
  const defaultFrom = track.defaultSince(today);

  if (data.stage === 'prenotice' || data.stage === 'reminder') {
    due.push(...prenotices(track, policy, today));
    if (defaultFrom) {
      due.push(...ladder(track, policy, defaultFrom, today, money(ledger.balance.outstanding).gte(policy.wikMinimumArrears), isPatched));
      due.push(...tasksDue(track, policy, defaultFrom, today, isPatched));
    }
  }
  if (defaultFrom) {
    const warning = earlyWarningDue(track, defaultFrom, money(ledger.balance.outstanding));
    if (warning) due.push(warning);
  }

  // Billing sends claims on or before their due date: the track wakes on the first day of default
  // of each claim not yet in default, so the ladder (or the next cycle) starts on time.
  const firstDefault = open
    .filter((c) => compareIsoDates(c.dueDate, today) >= 0)
    .map((c) => firstDayOfDefault(c.dueDate))
    .sort(compareIsoDates)[0];
  if (firstDefault && isPatched('wake-on-first-day-of-default')) {
    due.push({ on: firstDefault, step: { kind: 'wait', until: firstDefault, reason: 'first_day_of_default' }, reason: 'first_day_of_default' });
  }

  if (data.stage === 'wik_letter' || data.stage === 'awaiting_handover') due.push(...laterClaimsWikLetters(track, policy, open, today, isPatched));

  if (data.stage === 'wik_letter') {
    const wik = cycleWikLetter(track);
    if (!wik?.costsDueFrom) return { kind: 'send_wik_letter' };
    const costsDueFrom = track.extendByHolds(wik.costsDueFrom, wik.date);
    due.push({ on: costsDueFrom, step: { kind: 'end_wik_term', letterId: wik.letterId }, reason: 'wik_term' });
  }
  if (data.stage === 'awaiting_handover') {
    if (!data.bailiff && (track.approvedProposal('handover') || !policy.handoverNeedsApproval)) return { kind: 'start_bailiff_phase' };
    if (!data.bailiff && !track.pendingProposal('handover')) return { kind: 'propose_handover' };
  }

  const sorted = due.sort((a, b) => compareIsoDates(a.on, b.on));
  const first = sorted[0];
  if (first && compareIsoDates(first.on, today) <= 0) return first.step;
  if (data.stage === 'awaiting_handover') return { kind: 'wait', until: first?.on ?? null, reason: 'handover_approval' };
  if (!first) return { kind: 'wait', until: null, reason: open.length === 0 ? 'no_open_claim' : 'more_arrears' };
  const wik = data.stage === 'wik_letter' ? cycleWikLetter(track) : undefined;
  return {
    kind: 'wait',
    until: first.on,
    reason: first.reason,
    ...(first.reason === 'wik_term' && wik?.deadline ? { lastDay: track.extendByHolds(wik.deadline, wik.date) } : {}),
  };
}

/** The cycle's own 14-day letter (not one sent alongside it for later claims). */
function cycleWikLetter(track: TrackState) {
  return track.letters.findLast((l) => l.kind === 'wik' && !l.alongside);
}

/** The terms of 14-day letters sent alongside the cycle's, not yet dealt with, soonest first. */
function runningLaterWikTerms(track: TrackState): Due[] {
  return track.letters
    .filter((l) => l.kind === 'wik' && l.alongside && l.costsDueFrom && !track.data.endedWikTerms.includes(l.letterId))
    .map((l): Due => ({ on: track.extendByHolds(l.costsDueFrom!, l.date), step: { kind: 'end_later_wik_term', letterId: l.letterId }, reason: 'wik_term' }))
    .sort((a, b) => compareIsoDates(a.on, b.on));
}

/**
 * Claims that fell due after the cycle's 14-day letter: each needs a 14-day letter of its own
 * before collection costs may be charged over it (art. 6:96 lid 6 BW; which claims, and the costs
 * under the small-instalment rule, the legal core's nextWikLetterContent decides). It goes out
 * when the ladder's first rung would, beside the cycle's letter, without holding up the hand-over.
 */
function laterClaimsWikLetters(track: TrackState, policy: SegmentPolicy, open: readonly { invoiceRef: string; dueDate: IsoDate }[], today: IsoDate, isPatched: PatchCheck): Due[] {
  if (track.data.bailiff) return [];
  const inLetter = new Set(track.letters.filter((l) => l.kind === 'wik').flatMap((l) => l.invoiceRefs));
  const uncovered = open.filter((c) => !inLetter.has(c.invoiceRef) && compareIsoDates(c.dueDate, today) < 0);
  const running = runningLaterWikTerms(track);
  if ((uncovered.length === 0 && running.length === 0) || !cycleWikLetter(track)?.costsDueFrom || !isPatched('own-wik-letter-for-later-claims')) return [];
  const due = [...running];
  const oldestDue = uncovered.map((c) => c.dueDate).sort(compareIsoDates)[0];
  if (oldestDue) {
    const defaultFrom = firstDayOfDefault(oldestDue);
    const on = track.extendByHolds(addDays(defaultFrom, policy.reminders[0]?.afterDefaultDays ?? 0), defaultFrom);
    due.push({ on, step: { kind: 'send_wik_letter', alongside: true }, reason: 'wik_letter_for_later_claims' });
  }
  return due;
}

/** A payment request before the due date, for segments whose policy has one (A.1). */
function prenotices(track: TrackState, policy: SegmentPolicy, today: IsoDate): Due[] {
  if (!policy.prenotice) return [];
  const noticed = new Set(track.letters.filter((l) => l.kind === 'prenotice').flatMap((l) => l.invoiceRefs));
  const upcoming = track.claims.filter((c) => !noticed.has(c.invoiceRef) && compareIsoDates(c.dueDate, today) > 0);
  if (upcoming.length === 0) return [];
  const sendOn = upcoming.map((c) => addDays(c.dueDate, -policy.prenotice!.daysBeforeDue)).sort(compareIsoDates)[0]!;
  const dueNow = upcoming.filter((c) => compareIsoDates(addDays(c.dueDate, -policy.prenotice!.daysBeforeDue), today) <= 0);
  const refs = (dueNow.length > 0 ? dueNow : upcoming).map((c) => c.invoiceRef);
  return [{ on: sendOn, step: { kind: 'send_prenotice', invoiceRefs: refs, channel: policy.prenotice.channel }, reason: 'prenotice' }];
}

/**
 * The reminder ladder, then the 14-day letter: each rung on its day after default, moved on by any
 * hold; a promise to pay keeps the next rung back until the day after the promised date.
 */
function ladder(track: TrackState, policy: SegmentPolicy, defaultFrom: IsoDate, today: IsoDate, enoughForWik: boolean, isPatched: PatchCheck): Due[] {
  const reminders = track.lettersOfCycle.filter((l) => l.kind === 'reminder');
  const promise = track.data.promisedUntil && compareIsoDates(track.data.promisedUntil, today) >= 0 ? addDays(track.data.promisedUntil, 1) : null;
  const notBefore = (date: IsoDate) => (promise ? maxDate(promise, date) : date);
  const rung = reminders.length;
  if (rung < policy.reminders.length) {
    const step = policy.reminders[rung]!;
    let on = notBefore(track.extendByHolds(addDays(defaultFrom, step.afterDefaultDays), defaultFrom));
    // A track that starts late (claims reported long after default) catches up one rung at a time,
    // with the ladder's own spacing, rather than sending every rung on one day.
    const previous = reminders.at(-1);
    if (previous && rung > 0) {
      const spaced = track.extendByHolds(addDays(previous.date, step.afterDefaultDays - policy.reminders[rung - 1]!.afterDefaultDays), previous.date);
      if (compareIsoDates(spaced, on) > 0 && isPatched('ladder-spacing-on-catch-up')) on = notBefore(spaced);
    }
    return [{ on, step: { kind: 'send_reminder', rung, channel: step.channel }, reason: promise ? 'promise_to_pay' : `reminder_${rung + 1}` }];
  }
  // Below the corporation's minimum no 14-day letter goes out: the track waits for more arrears.
  if (!enoughForWik) return [];
  const last = reminders.at(-1)!;
  const on = notBefore(track.extendByHolds(addDays(last.date, policy.wikLetterAfterLastReminderDays), last.date));
  return [{ on, step: { kind: 'send_wik_letter' }, reason: promise ? 'promise_to_pay' : 'wik_letter' }];
}

/** The call round and the home visit of this cycle, each opened once on its day. */
function tasksDue(track: TrackState, policy: SegmentPolicy, defaultFrom: IsoDate, today: IsoDate, isPatched: PatchCheck): Due[] {
  const due: Due[] = [];
  for (const [kind, taskPolicy] of [
    ['call', policy.callRound],
    ['visit', policy.homeVisit],
  ] as const) {
    if (!taskPolicy || track.data.tasks.some((t) => t.kind === kind && t.cycle === track.cycle)) continue;
    const on = track.extendByHolds(addDays(defaultFrom, taskPolicy.afterDefaultDays), defaultFrom);
    // Opened late (a track that starts long after default), a task still gets its full days.
    const opensOn = compareIsoDates(today, on) > 0 && isPatched('task-days-from-opening') ? today : on;
    due.push({ on, step: { kind: 'open_task', task: kind, expiresOn: addDays(opensOn, taskPolicy.expiresAfterDays) }, reason: `${kind}_task` });
  }
  return due;
}

/** The tenant has this many days to object to the early-warning offer made in a reminder. */
export const objectionDays = 14;

/**
 * Early warning (domain.md §7): once the Bgs preconditions hold — a personal contact attempt, a
 * written reminder with the debt-help pointer and the offer to pass the details on, no objection
 * within the offer's term — and the municipality's timing and minimum arrears are reached.
 */
function earlyWarningDue(track: TrackState, defaultFrom: IsoDate, arrears: ReturnType<typeof money>): Due | null {
  const data = track.data;
  if (data.earlyWarning || data.earlyWarningObjection || !data.policy) return null;
  const offer = data.letters.find((l) => l.kind === 'reminder' && (l.channel === 'post' || l.channel === 'email'));
  if (!offer || track.contactAttempts.length === 0) return null;
  const timing = earlyWarningTimingFor(data.policy.policy, data.input.municipalityCode ?? null);
  if (arrears.lt(timing.minimumArrears)) return null;
  const after = track.extendByHolds(addDays(defaultFrom, timing.afterDefaultDays), defaultFrom);
  const objectionEnds = addDays(offer.date, objectionDays + 1);
  return { on: maxDate(after, objectionEnds), step: { kind: 'send_early_warning' }, reason: 'early_warning' };
}

