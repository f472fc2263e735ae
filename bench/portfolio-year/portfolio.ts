import { seededRandom } from '../../drill/seeded-random.js';

/**
 * How a tenant behaves once in arrears. Behaviour is relative to what the process does (a payment
 * some days after the first reminder, after the 14-day letter), so another policy on the same
 * portfolio moves the outcome: the what-if a corporation asks of a policy.
 */
export type Behaviour =
  /** Pays in full some days after the first reminder. */
  | 'pays_after_reminder'
  /** Pays in full some days after the 14-day (WIK) letter. */
  | 'pays_after_wik'
  /** Takes an arrangement after the first reminder and pays every instalment on its day. */
  | 'arrangement_kept'
  /** Takes an arrangement, pays the first instalment(s), then stops; pays in full a while after the breach. */
  | 'arrangement_broken'
  /** On direct debit; an advance is returned (AM04, retried) or refunded (MD06, a claim on the track, then pays after the reminder). */
  | 'direct_debit'
  /** Never pays: hand-over, summonses, court and judgment; some are evicted. */
  | 'bailiff';

export interface Tenancy {
  readonly index: number;
  readonly contractRef: string;
  readonly behaviour: Behaviour;
  /** Monthly rent. */
  readonly rent: string;
  /** Month of the year (0–11) whose rent goes unpaid. */
  readonly arrearsMonth: number;
  /** Months of rent in arrears at once (an arrangement is for more than one). */
  readonly monthsUnpaid: number;
  /** Days after the letter the tenant reacts to (first reminder, WIK, breach). */
  readonly reactionDays: number;
  /** Instalments of an arrangement, and how many a breaking tenant pays. */
  readonly instalments: number;
  readonly instalmentsPaid: number;
  /** Direct debit: the month (0–11) an advance comes back, and how. */
  readonly debitBack: { readonly month: number; readonly reason: 'AM04' | 'MD06' } | null;
  /** Bailiff: evicted after judgment (otherwise the bailiff collects in full). */
  readonly evicted: boolean;
}

/** Shares of the portfolio, summing to 1. */
const behaviourMix: ReadonlyArray<readonly [Behaviour, number]> = [
  ['pays_after_reminder', 0.58],
  ['pays_after_wik', 0.1],
  ['arrangement_kept', 0.09],
  ['arrangement_broken', 0.06],
  ['direct_debit', 0.14],
  ['bailiff', 0.03],
];

/** The same seed and size give the same tenancies, whatever policy they then meet. */
export function syntheticPortfolio(size: number, seed: number): Tenancy[] {
  const random = seededRandom(seed);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  // Every behaviour gets its share rounded, at least one tenancy each, the rest pays after a reminder.
  const counts = new Map(behaviourMix.map(([b, share]) => [b, Math.max(1, Math.round(share * size))]));
  const others = [...counts].filter(([b]) => b !== 'pays_after_reminder').reduce((sum, [, n]) => sum + n, 0);
  counts.set('pays_after_reminder', size - others);
  const behaviours = [...counts].flatMap(([b, n]) => Array.from({ length: n }, () => b));
  for (let i = behaviours.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [behaviours[i], behaviours[j]] = [behaviours[j]!, behaviours[i]!];
  }
  return behaviours.map((behaviour, index) => {
    const arrangement = behaviour === 'arrangement_kept' || behaviour === 'arrangement_broken';
    const instalments = arrangement ? between(3, 6) : 0;
    return {
      index,
      contractRef: `HC-PY-${String(index).padStart(5, '0')}`,
      behaviour,
      rent: `${between(520, 980)}.${String(between(0, 99)).padStart(2, '0')}`,
      // Late in the year leaves a track no time to finish; the bailiff's road is the longest.
      arrearsMonth: behaviour === 'bailiff' ? between(0, 3) : behaviour === 'direct_debit' ? 0 : between(0, 8),
      monthsUnpaid: arrangement ? between(2, 3) : behaviour === 'bailiff' ? between(2, 4) : 1,
      reactionDays: between(1, 12),
      instalments,
      instalmentsPaid: behaviour === 'arrangement_broken' ? between(1, Math.max(1, instalments - 2)) : instalments,
      debitBack: behaviour === 'direct_debit' ? (random() < 0.5 ? { month: between(2, 9), reason: random() < 0.5 ? 'AM04' : 'MD06' } : null) : null,
      evicted: behaviour === 'bailiff' && random() < 0.5,
    };
  });
}
