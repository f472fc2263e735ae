import type {
  AdvanceAccountSnapshot,
  AdvanceAttempt,
  AdvanceMonth,
  AdvancePaidOtherwise,
  AttemptStatus,
  DebitSubmitted,
  DebitWithheld,
  LaterRun,
} from '../../shared/direct-debit/advance-account-messages.js';
import { unauthorisedRefundMonths } from '../../shared/direct-debit/advance-account-messages.js';
import type { DebitOutcome } from '../../shared/direct-debit/debit-outcome.js';

/**
 * Reasons after which the month's advance is tried once more in a later run of the same month:
 * insufficient funds and the reasons a bank gives instead (MS02 refused without a reason, MS03
 * reason not specified, which may mask AM04), and none at all. Never after a refund (MD06, MD01:
 * the occupant disputes the debit), nor after a stop of the mandate or account (AC01, AC04, AC06,
 * MD07) or any other code: those go to the collection track at once.
 */
const retryableReasons: ReadonlySet<string | null> = new Set([null, 'AM04', 'MS02', 'MS03']);

/** What the account must do next, in order: each decision is done by the workflow, then settled here. */
export type AccountDecision =
  | { readonly kind: 'retry'; readonly month: string; readonly attempt: number; readonly run: LaterRun }
  | { readonly kind: 'hand_over'; readonly month: string; readonly amount: string; readonly dueDate: string; readonly reasonCode: string | null }
  | { readonly kind: 'record_fate'; readonly endToEndId: string; readonly status: AttemptStatus; readonly reasonCode: string | null };

interface MutableMonth {
  month: string;
  amount: string;
  attempts: AdvanceAttempt[];
  retryRunId: string | null;
  handedOverOn: string | null;
  paidOtherwiseOn: string | null;
  laterRuns: readonly LaterRun[];
}

/**
 * One occupancy's advance account: the fate of each month's advance, from the debit in the bank's
 * file to collected (and final after the refund window), or rejected, returned or refunded and then
 * retried once or handed to the collection track. Pure: the workflow feeds it messages and the
 * day, and carries out the decisions it queues.
 */
export class AdvanceAccount {
  private readonly byMonth = new Map<string, MutableMonth>();
  private readonly seenOutcomes: Set<string>;
  private readonly decisions: AccountDecision[] = [];

  constructor(snapshot?: AdvanceAccountSnapshot) {
    for (const month of snapshot?.months ?? []) {
      this.byMonth.set(month.month, { ...month, attempts: [...month.attempts], paidOtherwiseOn: month.paidOtherwiseOn ?? null, laterRuns: (month as { laterRuns?: LaterRun[] }).laterRuns ?? [] });
    }
    this.seenOutcomes = new Set(snapshot?.seenOutcomes ?? []);
  }

  submitted(debit: DebitSubmitted): void {
    const month = this.monthOf(debit.month, debit.amount);
    if (month.attempts.some((a) => a.endToEndId === debit.endToEndId)) return;
    month.attempts.push({ attempt: debit.attempt, endToEndId: debit.endToEndId, runId: debit.runId, collectionDate: debit.collectionDate, amount: debit.amount, status: 'submitted', reasonCode: null, amendment: debit.amendment });
    month.laterRuns = debit.laterRuns;
    month.retryRunId = null;
  }

  withheld(debit: DebitWithheld): void {
    const month = this.monthOf(debit.month, debit.amount);
    if (month.attempts.some((a) => a.endToEndId === debit.endToEndId)) return;
    month.attempts.push({ attempt: debit.attempt, endToEndId: debit.endToEndId, runId: debit.runId, collectionDate: debit.collectionDate, amount: debit.amount, status: 'withheld', reasonCode: debit.reason, amendment: false });
    month.retryRunId = null;
  }

  /**
   * The bank's word on a debit (pain.002 reject, camt return or refund). Once per end-to-end id
   * and kind: the same bank file read twice changes nothing.
   */
  outcome(outcome: DebitOutcome, today: string): void {
    const key = `${outcome.endToEndId}/${outcome.kind}`;
    if (this.seenOutcomes.has(key)) return;
    const month = [...this.byMonth.values()].find((m) => m.attempts.some((a) => a.endToEndId === outcome.endToEndId));
    if (!month) return;
    this.seenOutcomes.add(key);
    const index = month.attempts.findIndex((a) => a.endToEndId === outcome.endToEndId);
    const attempt = month.attempts[index]!;
    month.attempts[index] = { ...attempt, status: outcome.kind, reasonCode: outcome.reasonCode };
    this.decisions.push({ kind: 'record_fate', endToEndId: attempt.endToEndId, status: outcome.kind, reasonCode: outcome.reasonCode });
    // Already with the track, or paid another way: nothing more to collect for the month.
    if (month.handedOverOn !== null || month.paidOtherwiseOn !== null) return;
    const later = month.laterRuns.find((run) => run.submitBy > today && run.runId !== attempt.runId);
    const retry = outcome.kind !== 'refunded' && retryableReasons.has(outcome.reasonCode) && attempt.attempt === 1 && month.retryRunId === null && later !== undefined;
    if (retry) {
      month.retryRunId = later.runId;
      this.decisions.push({ kind: 'retry', month: month.month, attempt: attempt.attempt + 1, run: later });
      return;
    }
    // A retry already booked and a failure of the same month: the retry will tell.
    if (month.retryRunId !== null) return;
    this.decisions.push({ kind: 'hand_over', month: month.month, amount: month.amount, dueDate: month.attempts[0]!.collectionDate, reasonCode: outcome.reasonCode });
  }

  /** Collection dates that have come: the debits on them count as collected (until the bank says otherwise). */
  collectDue(today: string): void {
    for (const month of this.byMonth.values()) {
      month.attempts = month.attempts.map((a) => {
        if (a.status !== 'submitted' || a.collectionDate > today) return a;
        this.decisions.push({ kind: 'record_fate', endToEndId: a.endToEndId, status: 'collected', reasonCode: null });
        return { ...a, status: 'collected' as const };
      });
    }
  }

  /** The next collection date still to come: when the account wakes to count its debit collected. */
  nextCollectionDate(): string | null {
    const dates = [...this.byMonth.values()].flatMap((m) => m.attempts.filter((a) => a.status === 'submitted').map((a) => a.collectionDate));
    return dates.length > 0 ? dates.sort()[0]! : null;
  }

  /** The retry could not be booked: the advance is handed over as any other failure. */
  retryFailed(month: string): void {
    const known = this.byMonth.get(month);
    if (!known || known.retryRunId === null) return;
    known.retryRunId = null;
    if (known.paidOtherwiseOn !== null) return;
    const last = known.attempts.at(-1)!;
    this.decisions.push({ kind: 'hand_over', month, amount: known.amount, dueDate: known.attempts[0]!.collectionDate, reasonCode: last.reasonCode });
  }

  /**
   * An operator recorded the month as paid another way: no retry, no hand-over (a decision still
   * queued for the month is dropped). Answers whether the month had gone to the track already, so
   * the caller books the payment there. A repeat changes nothing and answers the same.
   */
  paidOtherwise(paid: AdvancePaidOtherwise): { handedToTrack: boolean } {
    const month = this.monthOf(paid.month, paid.amount);
    if (month.paidOtherwiseOn === null) {
      month.paidOtherwiseOn = paid.paidOn;
      month.retryRunId = null;
      const kept = this.decisions.filter((d) => d.kind === 'record_fate' || d.month !== paid.month);
      this.decisions.splice(0, this.decisions.length, ...kept);
    }
    return { handedToTrack: month.handedOverOn !== null };
  }

  /** Decisions already taken but not yet carried out check this: the month may have been paid meanwhile. */
  isPaidOtherwise(month: string): boolean {
    return (this.byMonth.get(month)?.paidOtherwiseOn ?? null) !== null;
  }

  handedOver(month: string, on: string): void {
    const known = this.byMonth.get(month);
    if (known) known.handedOverOn = on;
  }

  hasDecisions(): boolean {
    return this.decisions.length > 0;
  }

  takeDecisions(): AccountDecision[] {
    return this.decisions.splice(0, this.decisions.length);
  }

  months(): AdvanceMonth[] {
    return [...this.byMonth.values()].sort((a, b) => a.month.localeCompare(b.month)).map(({ laterRuns: _laterRuns, ...m }) => ({ ...m, attempts: [...m.attempts] }));
  }

  /**
   * The state a next run carries: months younger than the 13-month MD01 window (older ones can
   * change no more; Postgres keeps them), and the outcomes seen for those months.
   */
  snapshot(today: string): AdvanceAccountSnapshot {
    const [year, month] = today.split('-').map(Number) as [number, number];
    const index = year * 12 + (month - 1) - unauthorisedRefundMonths;
    const oldest = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    const months = [...this.byMonth.values()].filter((m) => m.month >= oldest);
    const ids = new Set(months.flatMap((m) => m.attempts.map((a) => a.endToEndId)));
    return {
      months: months.map((m) => ({ ...m, attempts: [...m.attempts] })),
      seenOutcomes: [...this.seenOutcomes].filter((key) => ids.has(key.slice(0, key.lastIndexOf('/')))),
    };
  }

  private monthOf(month: string, amount: string): MutableMonth {
    let known = this.byMonth.get(month);
    if (!known) {
      known = { month, amount, attempts: [], retryRunId: null, handedOverOn: null, paidOtherwiseOn: null, laterRuns: [] };
      this.byMonth.set(month, known);
    }
    return known;
  }
}
