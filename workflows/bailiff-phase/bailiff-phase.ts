import { ActivityFailure, condition, getExternalWorkflowHandle, isCancellation, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { amsterdamInstant } from '../../shared/calendar/amsterdam-clock.js';
import { compareIsoDates } from '../../shared/calendar/iso-date.js';
import { bailiffFeeForReportedAct, type BailiffAct } from '../../shared/legal/bailiff-fees.js';
import { firstSummonsDays, secondSummonsDays, summonsTerm } from '../../shared/legal/bailiff-summons-term.js';
import {
  bailiffControlSignal,
  bailiffEventSchema,
  bailiffEventUpdate,
  bailiffProgressSignal,
  type BailiffPhaseInput,
  type BailiffPhaseResult,
  type BailiffPhaseState,
  type BailiffProgress,
} from '../../shared/track/bailiff-messages.js';
import type { Stage } from '../../shared/track/stages.js';
import { serviceActivities } from '../activity-proxies.js';
import { applyBailiffControl, newBailiffPhaseState, validateBailiffEvent } from './bailiff-phase-state.js';
import { today } from '../workflow-clock.js';

const { handOverToBailiff, instructBailiff, notifyMunicipality, sendLetter } = serviceActivities;

/**
 * The bailiff's part of a track (domain.md §1 B): hand-over, the two summons letters with their 8-
 * and 5-day terms, then the court and what follows, driven by the office's reports. A child of the
 * track: it reports stages, fees and collected money back by signal (which reaches the track's
 * current run, across continue-as-new) and stops when the track says the debt is settled.
 *
 * Before the track continues as new it hands this phase over: the phase reports what it has and
 * returns its state, and the track's next run starts it again under the same id with that state
 * (`resume`). Its activities are idempotent on that id, and its terms run on from their dates.
 */
export async function bailiffPhase(input: BailiffPhaseInput): Promise<BailiffPhaseResult> {
  const track = getExternalWorkflowHandle(input.trackWorkflowId);
  // Best effort: once the track has closed (paid, written off) there is nobody left to tell.
  const report = (progress: BailiffProgress) => track.signal(bailiffProgressSignal, progress).catch(() => undefined);
  const idempotencyKey = (step: string) => `${workflowInfo().workflowId}/${step}`;

  const state: BailiffPhaseState = input.resume ? { ...input.resume, seenEventIds: [...input.resume.seenEventIds], summons: [...input.resume.summons] } : newBailiffPhaseState();
  let handingOver = false;
  // Read through a function: handlers change the stage between awaits, which TypeScript's
  // narrowing cannot see.
  const currentStage = (): Stage => state.stage;
  const pendingReports: BailiffProgress[] = [];

  const moveTo = (next: Stage, event: string, extra: Partial<BailiffProgress> = {}) => {
    state.stage = next;
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
    if (control.kind === 'handover') handingOver = true;
    else applyBailiffControl(state, control);
  });

  setHandler(
    bailiffEventUpdate,
    (event) => {
      if (state.seenEventIds.includes(event.eventId)) return { duplicate: true, stage: state.stage };
      state.seenEventIds.push(event.eventId);
      switch (event.type) {
        case 'summons_served':
          moveTo('court', `writ of summons served on ${event.date}`);
          charge('writ_of_summons', event.eventId, event.date);
          break;
        case 'judgment':
          state.judgmentOn = event.date;
          moveTo('judgment', `judgment of ${event.date}`);
          charge('service_of_judgment', event.eventId, event.date);
          if (!input.paymentOnly) pendingReports.push({ event: 'eviction needs the corporation\u2019s approval', needsEvictionApproval: true });
          break;
        case 'eviction_scheduled':
          state.eviction = { announcedOn: event.date, date: event.evictionDate! };
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
          state.ended = 'returned';
          pendingReports.push({ event: `case returned by the bailiff on ${event.date}` });
          break;
      }
      return { duplicate: false, stage: state.stage };
    },
    { validator: (event) => validateBailiffEvent(bailiffEventSchema.parse(event), state, input.paymentOnly) },
  );

  const flush = async () => {
    while (pendingReports.length > 0) await report(pendingReports.shift()!);
  };
  const waitUntilDay = async (date: string, summary: string) => {
    const ms = amsterdamInstant(date) - Date.now();
    if (ms > 0) await condition(() => state.stop !== null || handingOver || pendingReports.length > 0, ms, { summary });
  };
  // A stop that has come in goes first: the office hears of it from this run.
  const handOverNow = () => handingOver && state.stop === null;
  /** Everything reported, the state goes to the track's next run (taken after the last await, so no event is left out). */
  const handOver = async (): Promise<BailiffPhaseResult> => {
    await flush();
    return { outcome: 'handed_over', state: { ...state, seenEventIds: [...state.seenEventIds], summons: [...state.summons] } };
  };

  if (!state.officeHandedOver) {
    await handOverToBailiff({ idempotencyKey: idempotencyKey('handover'), caseId: input.caseId, officeId: input.officeId, handedOverOn: today() });
    await report({ stage: state.stage, event: `handed over to bailiff office ${input.officeId}` });
    state.officeHandedOver = true;
  }

  // The amicable phase: two summons letters, each with its own term. A resumed phase waits out the
  // term of a letter already sent, from the letter's own dates.
  for (const [step, days, next] of [
    ['first_summons', firstSummonsDays, 'summons_first'],
    ['second_summons', secondSummonsDays, 'summons_second'],
  ] as const) {
    if (handOverNow()) return handOver();
    let sent = state.summons.find((s) => s.step === step);
    if (!sent) {
      if (state.stop || (currentStage() !== 'bailiff_amicable' && currentStage() !== 'summons_first')) break;
      const posted = today();
      const term = summonsTerm({ posted, days, deliveryDays: 2 });
      await instructBailiff({ idempotencyKey: idempotencyKey(step), caseId: input.caseId, officeId: input.officeId, instruction: step, termEndsOn: term.deadline });
      sent = { step, postedOn: posted, termEndsOn: term.deadline, expiresAfter: term.expiresAfter };
      state.summons.push(sent);
      moveTo(next, `${step.replace('_', ' ')} posted on ${posted}, term until ${term.deadline}`);
      await flush();
    } else if (currentStage() !== next) {
      continue;
    }
    // A report from the office (a writ served, a judgment) ends the amicable phase early.
    while (!state.stop && !handingOver && currentStage() === next && compareIsoDates(today(), sent.expiresAfter) < 0) {
      await waitUntilDay(sent.expiresAfter, `${days}-day term of the ${step.replace('_', ' ')} until ${sent.termEndsOn}`);
      await flush();
    }
  }
  if (handOverNow()) return handOver();
  if (!state.stop && (currentStage() === 'summons_second' || currentStage() === 'summons_first')) {
    await instructBailiff({ idempotencyKey: idempotencyKey('writ_of_summons'), caseId: input.caseId, officeId: input.officeId, instruction: input.paymentOnly ? 'summons_for_payment' : 'summons_for_dissolution_and_eviction' });
    moveTo('court', 'writ of summons ordered');
    await flush();
  }

  // The court and after: the office's reports drive the stage until the case ends.
  for (;;) {
    await condition(() => state.stop !== null || state.ended !== null || handingOver || pendingReports.length > 0 || (state.eviction !== null && state.eviction.date !== state.municipalityToldOf));
    await flush();
    const planned = state.eviction;
    if (planned && planned.date !== state.municipalityToldOf && !state.stop) {
      // Art. 14 Gerechtsdeurwaarderswet: the municipality hears of the eviction date.
      await notifyMunicipality({ idempotencyKey: idempotencyKey(`eviction-${planned.date}`), caseId: input.caseId, kind: 'eviction_date', signalDate: planned.announcedOn, evictionDate: planned.date });
      // The tenant hears it from the corporation too, in plain words with where help is (phases recorded before this letter did not send it).
      if (patched('eviction-information-letter')) await sendEvictionInformation(input, idempotencyKey(`eviction-letter-${planned.date}`), planned);
      state.municipalityToldOf = planned.date;
    }
    if (state.stop) {
      const reason = state.stop;
      await instructBailiff({ idempotencyKey: idempotencyKey(`stop-${reason}`), caseId: input.caseId, officeId: input.officeId, instruction: 'stop', reason, cancelEviction: planned?.date ?? null });
      if (planned) {
        await notifyMunicipality({ idempotencyKey: idempotencyKey(`eviction-cancelled-${planned.date}`), caseId: input.caseId, kind: 'eviction_cancelled', signalDate: today(), evictionDate: planned.date });
      }
      // No report back: the track that stopped us has closed.
      return { outcome: 'stopped' };
    }
    if (state.ended) {
      await report({ ended: { outcome: state.ended }, event: `bailiff phase ended: ${state.ended}` });
      return { outcome: state.ended };
    }
    if (handingOver) return handOver();
  }
}

/** The eviction information letter; one refused for good by the letter service does not stop the phase. */
async function sendEvictionInformation(input: BailiffPhaseInput, idempotencyKey: string, eviction: { announcedOn: string; date: string }): Promise<void> {
  try {
    await sendLetter({
      idempotencyKey,
      caseId: input.caseId,
      kind: 'eviction_information',
      postedOn: today(),
      policyVersion: input.policyVersion,
      // No amounts: from the hand-over the bailiff collects, and the letter asks for no payment.
      // (Once sent as '0.00' placeholders; replay compares the activity's type and id, not its input.)
      facts: { invoiceRefs: [], eviction: { announcedOn: eviction.announcedOn, date: eviction.date } },
    });
  } catch (error) {
    if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
    log.warn('eviction information letter not sent', { caseId: input.caseId, error: error.cause?.message ?? error.message });
  }
}
