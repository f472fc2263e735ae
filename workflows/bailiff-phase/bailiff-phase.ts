import { ApplicationFailure, condition, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';
import { amsterdamDate, amsterdamInstant } from '../../shared/calendar/amsterdam-clock.js';
import { compareIsoDates } from '../../shared/calendar/iso-date.js';
import { bailiffFeeForReportedAct, type BailiffAct } from '../../shared/legal/bailiff-fees.js';
import { earliestEvictionDate, firstSummonsDays, secondSummonsDays, summonsTerm } from '../../shared/legal/bailiff-summons-term.js';
import {
  bailiffControlSignal,
  bailiffEventSchema,
  bailiffEventUpdate,
  bailiffProgressSignal,
  type BailiffControl,
  type BailiffEvent,
  type BailiffPhaseInput,
  type BailiffProgress,
} from '../../shared/track/bailiff-messages.js';
import type { Stage } from '../../shared/track/stages.js';
import { serviceActivities } from '../collection-track/activities.js';

const { handOverToBailiff, instructBailiff, notifyMunicipality } = serviceActivities;
const today = () => amsterdamDate(Date.now());

/**
 * The bailiff's part of a track (domain.md §1 B): hand-over, the two summons letters with their 8-
 * and 5-day terms, then the court and what follows, driven by the office's reports. A child of the
 * track: it reports stages, fees and collected money back by signal (which reaches the track's
 * current run, across continue-as-new) and stops when the track says the debt is settled.
 */
export async function bailiffPhase(input: BailiffPhaseInput): Promise<{ outcome: string }> {
  const track = getExternalWorkflowHandle(input.trackWorkflowId);
  // Best effort: once the track has closed (paid, written off) there is nobody left to tell.
  const report = (progress: BailiffProgress) => track.signal(bailiffProgressSignal, progress).catch(() => undefined);
  const idempotencyKey = (step: string) => `${workflowInfo().workflowId}/${step}`;

  let stage: Stage = 'bailiff_amicable';
  let stop: Extract<BailiffControl, { kind: 'stop' }> | null = null;
  let evictionApproved = false;
  let judgmentOn: string | null = null;
  let eviction: { announcedOn: string; date: string } | null = null;
  let ended: 'collected' | 'returned' | null = null;
  const seenEvents = new Set<string>();
  // Read through a function: handlers change the stage between awaits, which TypeScript's
  // narrowing of a local cannot see.
  const currentStage = (): Stage => stage;
  const pendingReports: BailiffProgress[] = [];

  const moveTo = (next: Stage, event: string, extra: Partial<BailiffProgress> = {}) => {
    stage = next;
    pendingReports.push({ stage: next, event, ...extra });
  };
  const charge = (act: BailiffAct, ref: string, on: string) => {
    const fee = bailiffFeeForReportedAct(act, on);
    const note = `bailiff fee ${act} ${fee.amount}${fee.provisional ? ` (provisional: the ${on.slice(0, 4)} fees are not in the data yet, ${fee.year} used)` : ''}`;
    // One report per bailiff event, so the track never shows the new stage without its fee.
    const last = pendingReports.at(-1);
    if (last && !last.fee) pendingReports[pendingReports.length - 1] = { ...last, fee: { ref, act, amount: fee.amount, on }, event: `${last.event}; ${note}` };
    else pendingReports.push({ fee: { ref, act, amount: fee.amount, on }, event: note });
  };

  setHandler(bailiffControlSignal, (control) => {
    if (control.kind === 'stop') stop = control;
    else evictionApproved = true;
  });

  setHandler(
    bailiffEventUpdate,
    (event) => {
      if (seenEvents.has(event.eventId)) return { duplicate: true, stage };
      seenEvents.add(event.eventId);
      switch (event.type) {
        case 'summons_served':
          moveTo('court', `writ of summons served on ${event.date}`);
          charge('writ_of_summons', event.eventId, event.date);
          break;
        case 'judgment':
          judgmentOn = event.date;
          moveTo('judgment', `judgment of ${event.date}`);
          charge('service_of_judgment', event.eventId, event.date);
          if (!input.paymentOnly) pendingReports.push({ event: 'eviction needs the corporation\u2019s approval' });
          break;
        case 'eviction_scheduled':
          eviction = { announcedOn: event.date, date: event.evictionDate! };
          moveTo('eviction_announced', `eviction announced on ${event.date} for ${event.evictionDate}`, { evictionDate: event.evictionDate! });
          break;
        case 'evicted':
          moveTo('post_eviction', `evicted on ${event.date}`);
          charge('forced_eviction', event.eventId, event.date);
          break;
        case 'collected':
          pendingReports.push({ collected: { eventId: event.eventId, amount: event.amount!, on: event.date }, event: `bailiff collected ${event.amount}` });
          break;
        case 'returned':
          ended = 'returned';
          pendingReports.push({ event: `case returned by the bailiff on ${event.date}` });
          break;
      }
      return { duplicate: false, stage };
    },
    { validator: (event) => validateEvent(bailiffEventSchema.parse(event), { stage, paymentOnly: input.paymentOnly, evictionApproved, judgmentOn, eviction, seen: seenEvents }) },
  );

  const flush = async () => {
    while (pendingReports.length > 0) await report(pendingReports.shift()!);
  };
  const waitUntilDay = async (date: string, summary: string) => {
    const ms = amsterdamInstant(date) - Date.now();
    if (ms > 0) await condition(() => stop !== null || pendingReports.length > 0, ms, { summary });
  };

  await handOverToBailiff({ idempotencyKey: idempotencyKey('handover'), caseId: input.caseId, officeId: input.officeId, handedOverOn: today() });
  await report({ stage, event: `handed over to bailiff office ${input.officeId}` });

  // The amicable phase: two summons letters, each with its own term.
  for (const [step, days, next] of [
    ['first_summons', firstSummonsDays, 'summons_first'],
    ['second_summons', secondSummonsDays, 'summons_second'],
  ] as const) {
    if (stop || (currentStage() !== 'bailiff_amicable' && currentStage() !== 'summons_first')) break;
    const posted = today();
    const term = summonsTerm({ posted, days, deliveryDays: 2 });
    await instructBailiff({ idempotencyKey: idempotencyKey(step), caseId: input.caseId, officeId: input.officeId, instruction: step, termEndsOn: term.deadline });
    moveTo(next, `${step.replace('_', ' ')} posted on ${posted}, term until ${term.deadline}`);
    await flush();
    // A report from the office (a writ served, a judgment) ends the amicable phase early.
    while (!stop && currentStage() === next && compareIsoDates(today(), term.expiresAfter) < 0) {
      await waitUntilDay(term.expiresAfter, `${days}-day term of the ${step.replace('_', ' ')} until ${term.deadline}`);
      await flush();
    }
  }
  if (!stop && (currentStage() === 'summons_second' || currentStage() === 'summons_first')) {
    await instructBailiff({ idempotencyKey: idempotencyKey('writ_of_summons'), caseId: input.caseId, officeId: input.officeId, instruction: input.paymentOnly ? 'summons_for_payment' : 'summons_for_dissolution_and_eviction' });
    moveTo('court', 'writ of summons ordered');
    await flush();
  }

  // The court and after: the office's reports drive the stage until the case ends.
  let municipalityToldOf: string | null = null;
  for (;;) {
    await condition(() => stop !== null || ended !== null || pendingReports.length > 0 || (eviction !== null && eviction.date !== municipalityToldOf));
    await flush();
    const planned = eviction as { announcedOn: string; date: string } | null;
    if (planned && planned.date !== municipalityToldOf && !stop) {
      // Art. 14 Gerechtsdeurwaarderswet: the municipality hears of the eviction date.
      await notifyMunicipality({ idempotencyKey: idempotencyKey(`eviction-${planned.date}`), caseId: input.caseId, kind: 'eviction_date', signalDate: planned.announcedOn, evictionDate: planned.date });
      municipalityToldOf = planned.date;
    }
    if (stop) {
      const reason = (stop as Extract<BailiffControl, { kind: 'stop' }>).reason;
      await instructBailiff({ idempotencyKey: idempotencyKey(`stop-${reason}`), caseId: input.caseId, officeId: input.officeId, instruction: 'stop', reason, cancelEviction: planned?.date ?? null });
      if (planned) {
        await notifyMunicipality({ idempotencyKey: idempotencyKey(`eviction-cancelled-${planned.date}`), caseId: input.caseId, kind: 'eviction_cancelled', signalDate: today(), evictionDate: planned.date });
      }
      // No report back: the track that stopped us has closed.
      return { outcome: 'stopped' };
    }
    if (ended) {
      await report({ ended: { outcome: ended }, event: `bailiff phase ended: ${ended}` });
      return { outcome: ended };
    }
  }
}

/** The order a bailiff's reports must come in; a report out of order is refused (422 at the API). */
function validateEvent(
  event: BailiffEvent,
  state: { stage: Stage; paymentOnly: boolean; evictionApproved: boolean; judgmentOn: string | null; eviction: { announcedOn: string; date: string } | null; seen: Set<string> },
): void {
  if (state.seen.has(event.eventId)) return;
  const refuse = (message: string) => {
    throw ApplicationFailure.nonRetryable(message, 'BailiffEventRefused');
  };
  switch (event.type) {
    case 'judgment':
      if (!['court', 'summons_first', 'summons_second', 'bailiff_amicable'].includes(state.stage)) refuse(`a judgment cannot follow stage ${state.stage}`);
      break;
    case 'eviction_scheduled': {
      if (state.paymentOnly) refuse('the tenant has left: the court phase asks for payment only, no eviction');
      if (!state.judgmentOn) refuse('an eviction needs a judgment first');
      if (!state.evictionApproved) refuse('the corporation has not approved the eviction (four-eyes) yet');
      if (!event.evictionDate) refuse('evictionDate is required');
      const earliest = earliestEvictionDate(event.date);
      if (compareIsoDates(event.evictionDate!, earliest) < 0) refuse(`an eviction is planned at least 14 days after its announcement: not before ${earliest}`);
      break;
    }
    case 'evicted':
      if (!state.eviction) refuse('no eviction was scheduled');
      break;
    case 'collected':
      if (!event.amount) refuse('amount is required for a collection');
      break;
  }
}
