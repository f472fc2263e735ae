import { addDays, addMonths, compareIsoDates, type IsoDate } from '../calendar/iso-date.js';
import { formatMoney, Money, money, type MoneyString, sumMoney } from '../money.js';
import type { ArrangementRules } from '../policy/collection-policy.js';
import type { ArrangementRefusal, Instalment } from './arrangement-messages.js';

/**
 * The arrangement rules (domain.md §1 A.3 and C.1) as pure functions: the track's update validator
 * checks a proposal with `checkArrangement` (so a refusal leaves no trace in history), and the
 * arrangement monitor judges the payments with `instalmentStatus`. No clock, no I/O: `today` and
 * `asOf` are Amsterdam calendar days the caller passes in.
 */

export interface ArrangementCheckInput {
  readonly instalments: readonly Instalment[];
  readonly rules: ArrangementRules;
  /** The Amsterdam calendar day of the proposal. */
  readonly today: IsoDate;
  /** What the track says is owed today; the arrangement must settle exactly this. */
  readonly outstanding: MoneyString;
  /** Every claim of the current month due by today is paid (the track decides). */
  readonly currentRentPaid: boolean;
  /** Acceptance dates of earlier arrangements of this track (breached and cancelled ones too). */
  readonly earlierArrangementDates: readonly IsoDate[];
}

export type ArrangementCheck =
  | { readonly ok: true; readonly total: MoneyString; readonly firstDueDate: IsoDate; readonly lastDueDate: IsoDate }
  | { readonly ok: false; readonly rule: ArrangementRefusal; readonly message: string };

const refuse = (rule: ArrangementRefusal, message: string): ArrangementCheck => ({ ok: false, rule, message });

/** The first day of the 12-month window that ends on `today` (a year ago is outside it). */
export function twelveMonthWindowStart(today: IsoDate): IsoDate {
  return addDays(addMonths(today, -12), 1);
}

/** The latest day the last instalment may fall on: `maxMonths` calendar months after the first. */
export function latestLastDueDate(firstDueDate: IsoDate, maxMonths: number): IsoDate {
  return addMonths(firstDueDate, maxMonths);
}

/**
 * Whether a proposed arrangement fits the corporation's rules. The first rule broken is reported,
 * in this order: nothing to arrange; the schedule itself (dates in the past, dates not strictly
 * increasing, too long, an instalment too small); the tenant's situation (current rent unpaid, too
 * many arrangements); finally the total.
 *
 * Choices where the policy is silent:
 * - The instalments add up to the outstanding amount exactly, to the cent. Less leaves a debt the
 *   arrangement does not settle (`total_below_outstanding`); more would have the tenant agree to
 *   pay what is not owed (`total_above_outstanding`). No interest accrues while it is kept, so the
 *   outstanding amount on acceptance is the whole debt.
 * - Every instalment but the last is at least `minInstalment`; the last may be smaller (it is the
 *   remainder), so a single instalment may be any positive amount. No instalment may be 0.00.
 * - "Not in the past": every instalment falls on today or later (today counts).
 * - Length: the last due date is at most `maxMonths` calendar months after the first, the same
 *   day-of-month clamped to the month's end (31 January + 1 month = 28/29 February); exactly
 *   `maxMonths` months is allowed, a day more is not.
 * - "At most N in any 12 months" counts earlier arrangements accepted after the same day 12 months
 *   ago, up to today: one accepted on 2025-11-23 no longer counts on 2026-11-23.
 */
export function checkArrangement(input: ArrangementCheckInput): ArrangementCheck {
  const { instalments, rules, today } = input;
  const outstanding = money(input.outstanding);
  if (outstanding.lte(0)) return refuse('arrangement_not_possible', `nothing to arrange: the outstanding amount is ${formatMoney(outstanding)}`);
  if (instalments.length === 0) return refuse('arrangement_not_possible', 'an arrangement needs at least one instalment');
  const first = instalments[0]!;
  const last = instalments.at(-1)!;

  const early = instalments.findIndex((i) => compareIsoDates(i.dueDate, today) < 0);
  if (early >= 0) {
    return refuse('instalment_in_the_past', `instalment ${early + 1} falls on ${instalments[early]!.dueDate}, before today (${today}); the first instalment may fall on ${today} at the earliest`);
  }
  for (let i = 1; i < instalments.length; i++) {
    const previous = instalments[i - 1]!.dueDate;
    const current = instalments[i]!.dueDate;
    if (compareIsoDates(current, previous) <= 0) {
      return refuse('due_dates_not_increasing', `instalment ${i + 1} falls on ${current}, not after instalment ${i} (${previous}); due dates must strictly increase`);
    }
  }
  const latest = latestLastDueDate(first.dueDate, rules.maxMonths);
  if (compareIsoDates(last.dueDate, latest) > 0) {
    return refuse(
      'arrangement_too_long',
      `the last instalment falls on ${last.dueDate}, more than ${rules.maxMonths} months after the first (${first.dueDate}); it may fall on ${latest} at the latest`,
    );
  }
  const minimum = money(rules.minInstalment);
  for (const [index, instalment] of instalments.entries()) {
    const amount = money(instalment.amount);
    const isLast = index === instalments.length - 1;
    if (amount.lte(0)) return refuse('instalment_too_small', `instalment ${index + 1} is ${formatMoney(amount)}; every instalment must be more than 0.00`);
    if (!isLast && amount.lt(minimum)) {
      return refuse(
        'instalment_too_small',
        `instalment ${index + 1} of ${instalments.length} is ${formatMoney(amount)}, below the minimum instalment of ${formatMoney(minimum)} (only the last instalment may be smaller)`,
      );
    }
  }
  if (rules.currentRentMustBePaid && !input.currentRentPaid) {
    return refuse('current_rent_unpaid', `the rent due this month (up to ${today}) must be paid before an arrangement for the arrears can be made`);
  }
  const windowStart = twelveMonthWindowStart(today);
  const recent = input.earlierArrangementDates.filter((d) => compareIsoDates(d, windowStart) >= 0 && compareIsoDates(d, today) <= 0).length;
  if (recent >= rules.maxPerTwelveMonths) {
    return refuse(
      'too_many_arrangements',
      `${recent} arrangement${recent === 1 ? ' was' : 's were'} accepted between ${windowStart} and ${today}; the policy allows at most ${rules.maxPerTwelveMonths} in any 12 months`,
    );
  }
  const total = sumMoney(instalments.map((i) => i.amount));
  if (total.lt(outstanding)) {
    return refuse(
      'total_below_outstanding',
      `the instalments add up to ${formatMoney(total)}, ${formatMoney(outstanding.minus(total))} less than the outstanding ${formatMoney(outstanding)}; they must add up to it exactly`,
    );
  }
  if (total.gt(outstanding)) {
    return refuse(
      'total_above_outstanding',
      `the instalments add up to ${formatMoney(total)}, ${formatMoney(total.minus(outstanding))} more than the outstanding ${formatMoney(outstanding)}; they must add up to it exactly`,
    );
  }
  return { ok: true, total: formatMoney(total), firstDueDate: first.dueDate, lastDueDate: last.dueDate };
}

export interface InstalmentStatus {
  /** The instalments due on or before `asOf`, added up. */
  readonly dueSoFar: MoneyString;
  readonly paidSoFar: MoneyString;
  /** `dueSoFar − paidSoFar`, never below 0.00 (grace days or not: what the tenant is behind). */
  readonly shortfall: MoneyString;
  /**
   * The first instalment (0-based) whose grace has ended before `asOf` (`asOf` is after its due
   * date + grace days) while the payments do not cover it and every instalment before it; null
   * when none.
   */
  readonly breachedInstalment: number | null;
  /** By how much the payments fall short of the breached instalment and those before it; null without a breach. */
  readonly breachShortfall: MoneyString | null;
  /** The sum of all instalments. */
  readonly total: MoneyString;
  /** `total − paidSoFar`, never below 0.00. */
  readonly remaining: MoneyString;
  /** Paid at least the total. */
  readonly completed: boolean;
}

const nonNegative = (value: ReturnType<typeof money>) => formatMoney(Money.max(value, 0));

/**
 * Where an arrangement stands on a day. Payments count towards the instalments in order (what is
 * paid covers the oldest instalment first), so an instalment is missed when the payments so far do
 * not reach the instalments up to and including it. It counts as missed only from the day after
 * its due date + grace days: a payment on the last grace day keeps the arrangement.
 */
export function instalmentStatus(instalments: readonly Instalment[], paidSoFar: MoneyString, asOf: IsoDate, graceDays: number): InstalmentStatus {
  const paid = money(paidSoFar);
  let cumulative = money(0);
  let dueSoFar = money(0);
  let breachedInstalment: number | null = null;
  let breachShortfall: MoneyString | null = null;
  for (const [index, instalment] of instalments.entries()) {
    cumulative = cumulative.plus(instalment.amount);
    if (compareIsoDates(instalment.dueDate, asOf) <= 0) dueSoFar = cumulative;
    const graceEnded = compareIsoDates(addDays(instalment.dueDate, graceDays), asOf) < 0;
    if (breachedInstalment === null && graceEnded && paid.lt(cumulative)) {
      breachedInstalment = index;
      breachShortfall = formatMoney(cumulative.minus(paid));
    }
  }
  return {
    dueSoFar: formatMoney(dueSoFar),
    paidSoFar: formatMoney(paid),
    shortfall: nonNegative(dueSoFar.minus(paid)),
    breachedInstalment,
    breachShortfall,
    total: formatMoney(cumulative),
    remaining: nonNegative(cumulative.minus(paid)),
    completed: paid.gte(cumulative),
  };
}
