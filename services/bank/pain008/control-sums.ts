import type { Decimal } from 'decimal.js';
import { formatMoney, sumMoney } from '../../../shared/money.js';

/**
 * `NbOfTxs` and `CtrlSum` of a group or a batch: the count and the exact sum of the amounts, in
 * decimal.js (a float sum of 3 × 0.10 is 0.30000000000000004, and a bank refuses a file whose
 * control sum is off by anything).
 */
export interface ControlSums {
  readonly count: string;
  readonly sum: string;
}

export function controlSums(amounts: readonly (string | Decimal)[]): ControlSums {
  return { count: String(amounts.length), sum: formatMoney(sumMoney(amounts)) };
}
