import { Decimal } from 'decimal.js';
import { addMonths, compareIsoDates, parseIsoDate, type IsoDate } from '../calendar/iso-date.js';
import { formatMoney, money, sumMoney, type MoneyString } from '../money.js';
import { collectionCostsOver, lowestBandCeiling } from './collection-costs.js';

/** A claim (a rent instalment, an invoice) with what is still open of its principal. */
export interface OpenClaim {
  readonly claimId: string;
  readonly dueDate: IsoDate;
  readonly openPrincipal: MoneyString;
}

/** A 14-day letter already sent on this lease, with what it demanded. */
export interface EarlierWikLetter {
  readonly letterId: string;
  readonly postedOn: IsoDate;
  readonly claimIds: readonly string[];
  /** The principal the letter demanded (its costs were computed over it). */
  readonly principal: MoneyString;
  /** The costs (before VAT) the letter claims; what was charged if that came out lower. */
  readonly collectionCosts: MoneyString;
}

/**
 * Art. 6:96 lid 8 BW (since 2024-10-01), small instalments. Unsettled in detail (domain.md §2),
 * so every number is a setting with the conservative default named there.
 */
export interface SmallInstalmentRule {
  /** Letters from this date on are subject to the rule. */
  readonly effectiveFrom: IsoDate;
  /** How far back the 14-day letters of the lease count together. */
  readonly lookbackMonths: number;
  /** The most the small-instalment letters of one lease may cost (before VAT) within the look-back. */
  readonly capWithinLookback: MoneyString;
}

export const defaultSmallInstalmentRule: SmallInstalmentRule = { effectiveFrom: '2024-10-01', lookbackMonths: 6, capWithinLookback: '140.00' };

/** Why a letter's costs came out lower than the bands give: for the letter's audit trail. */
export interface SmallInstalmentReduction {
  /** Letters posted on or after this date were counted together with this one. */
  readonly windowFrom: IsoDate;
  readonly earlierLetterIds: readonly string[];
  /** The earlier letters' principal plus this letter's. */
  readonly combinedPrincipal: MoneyString;
  /** What the earlier letters in the window already claim. */
  readonly costsAlreadyClaimed: MoneyString;
  /** The bands over this letter's principal alone. */
  readonly costsBeforeRule: MoneyString;
}

export interface NextWikLetterContent {
  /** Oldest first (due date, then claim ID). */
  readonly claimIds: readonly string[];
  readonly principal: MoneyString;
  /** Before VAT. */
  readonly collectionCosts: MoneyString;
  /** Set when the letter is a small instalment (principal ≤ lowestBandCeiling) under the rule. */
  readonly smallInstalments: SmallInstalmentReduction | null;
}

/**
 * What the next 14-day letter must hold, by the "one letter for all" rule (art. 6:96 lid 7 BW,
 * domain.md §2): every claim in default on `today` (default starts the day after the due date,
 * art. 6:83 sub a) with principal still open that no earlier 14-day letter held, and the costs
 * computed once over their sum. A claim that fell due after an earlier letter gets a letter of its
 * own this way; a claim already in a letter is never put in a second one. `null`: nothing to send.
 *
 * Small instalments (lid 8; our interpretation of an unsettled rule): when this letter's principal
 * is in the lowest band (≤ lowestBandCeiling, 266.67) and `today` is on or after the rule's start,
 * the lowest-band letters of the same lease posted in the look-back window (from `today` minus
 * `lookbackMonths`, inclusive) count together with it. This letter then costs at most
 * - what one letter over the combined principal would cost, minus what those letters already claim;
 * - the cap, minus what those letters already claim;
 * and never less than 0.00. So a new letter never takes the total of its look-back window above
 * one letter over the window's combined principal (if earlier letters are already above it,
 * because the letters that justified their costs have left the window, it adds 0.00), and the
 * total of any look-back window never exceeds the cap. Costs already claimed are never reduced.
 * Letters above the lowest band are not counted: the rule is about small instalments. Pass the
 * letters of one lease only; the cap is per lease.
 */
export function nextWikLetterContent({
  openClaims,
  earlierLetters,
  today,
  smallInstalments = defaultSmallInstalmentRule,
}: {
  openClaims: readonly OpenClaim[];
  earlierLetters: readonly EarlierWikLetter[];
  today: IsoDate;
  smallInstalments?: SmallInstalmentRule;
}): NextWikLetterContent | null {
  parseIsoDate(today);
  const claimIds = new Set<string>();
  for (const claim of openClaims) {
    if (claimIds.has(claim.claimId)) throw new RangeError(`claim ${claim.claimId} is listed twice`);
    claimIds.add(claim.claimId);
  }
  const alreadyInLetter = new Set(earlierLetters.flatMap((letter) => letter.claimIds));
  const claims = openClaims
    .filter((c) => money(c.openPrincipal).gt(0) && compareIsoDates(parseIsoDate(c.dueDate), today) < 0 && !alreadyInLetter.has(c.claimId))
    .sort((a, b) => compareIsoDates(a.dueDate, b.dueDate) || compareIds(a.claimId, b.claimId));
  if (claims.length === 0) return null;

  const principal = sumMoney(claims.map((c) => c.openPrincipal));
  const ownCosts = collectionCostsOver(principal);
  const smallInstalmentLimit = costsUnderSmallInstalmentRule({ principal, ownCosts, earlierLetters, today, rule: smallInstalments });
  return {
    claimIds: claims.map((c) => c.claimId),
    principal: formatMoney(principal),
    collectionCosts: formatMoney(smallInstalmentLimit?.costs ?? ownCosts),
    smallInstalments: smallInstalmentLimit?.reduction ?? null,
  };
}

function costsUnderSmallInstalmentRule({
  principal,
  ownCosts,
  earlierLetters,
  today,
  rule,
}: {
  principal: Decimal;
  ownCosts: Decimal;
  earlierLetters: readonly EarlierWikLetter[];
  today: IsoDate;
  rule: SmallInstalmentRule;
}): { costs: Decimal; reduction: SmallInstalmentReduction } | null {
  if (!Number.isInteger(rule.lookbackMonths) || rule.lookbackMonths < 0) throw new RangeError(`lookbackMonths is a whole number ≥ 0 (got ${rule.lookbackMonths})`);
  if (principal.gt(lowestBandCeiling) || compareIsoDates(today, parseIsoDate(rule.effectiveFrom)) < 0) return null;
  const windowFrom = addMonths(today, -rule.lookbackMonths);
  const inWindow = earlierLetters
    .filter((l) => compareIsoDates(windowFrom, l.postedOn) <= 0 && compareIsoDates(l.postedOn, today) <= 0 && money(l.principal).lte(lowestBandCeiling))
    .sort((a, b) => compareIsoDates(a.postedOn, b.postedOn) || compareIds(a.letterId, b.letterId));
  const combinedPrincipal = sumMoney(inWindow.map((l) => l.principal)).plus(principal);
  const alreadyClaimed = sumMoney(inWindow.map((l) => l.collectionCosts));
  const roomUnderOneLetter = collectionCostsOver(combinedPrincipal).minus(alreadyClaimed);
  const roomUnderCap = money(rule.capWithinLookback).minus(alreadyClaimed);
  const costs = Decimal.max(0, Decimal.min(ownCosts, roomUnderOneLetter, roomUnderCap));
  return {
    costs: money(costs),
    reduction: {
      windowFrom,
      earlierLetterIds: inWindow.map((l) => l.letterId),
      combinedPrincipal: formatMoney(combinedPrincipal),
      costsAlreadyClaimed: formatMoney(alreadyClaimed),
      costsBeforeRule: formatMoney(ownCosts),
    },
  };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
