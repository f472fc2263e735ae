import { Decimal } from 'decimal.js';
import { z } from 'zod';

/**
 * Money is decimal.js, never a float. One clone with half-up rounding (commercial rounding, half
 * away from zero), so other users of decimal.js are not affected. Amounts cross every boundary
 * (HTTP, Temporal payloads, SQL numeric) as strings with two decimals.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;
export type MoneyString = string;

export class MoneyParseError extends Error {}

const moneyPattern = /^-?\d{1,12}(\.\d{1,2})?$/;

export function money(value: string | Decimal | number): Decimal {
  return new Money(value);
}

/** Rounds half-up to cents. */
export function toCents(value: Decimal): Decimal {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Two decimals, half-up; never "-0.00". */
export function formatMoney(value: string | Decimal): MoneyString {
  const rounded = toCents(money(value));
  return rounded.isZero() ? '0.00' : rounded.toFixed(2);
}

export function parseMoney(input: unknown, options: { allowNegative?: boolean; allowZero?: boolean } = {}): MoneyString {
  if (typeof input !== 'string') throw new MoneyParseError('an amount is a decimal string such as "812.50", not a number');
  if (!moneyPattern.test(input)) {
    throw new MoneyParseError(`"${input}" is not an amount: use digits with at most two decimals, such as "812.50"`);
  }
  const value = money(input);
  if (value.isNegative() && !value.isZero() && !options.allowNegative) throw new MoneyParseError(`"${input}" is negative`);
  if (value.isZero() && options.allowZero === false) throw new MoneyParseError('the amount must be more than 0.00');
  return formatMoney(value);
}

const moneySchema = (options: { allowNegative?: boolean; allowZero?: boolean }) =>
  z.string().transform((value, ctx) => {
    try {
      return parseMoney(value, options);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/** A positive amount with at most two decimals, normalized to two ("812.5" → "812.50"). */
export const moneyString = moneySchema({ allowZero: false });
export const nonNegativeMoneyString = moneySchema({ allowZero: true });

export function sumMoney(values: readonly (string | Decimal)[]): Decimal {
  return values.reduce<Decimal>((sum, value) => sum.plus(value), money(0));
}

/** Integer cents, for search attributes (Int) where a decimal string cannot go. */
export function centsOf(value: string | Decimal): number {
  return toCents(money(value)).times(100).toNumber();
}
