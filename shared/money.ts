import { Decimal } from 'decimal.js';
import { z } from 'zod';

/**
 * Money is decimal.js, never a float: 0.1 + 0.2 must not lose a cent in a legal figure. One clone
 * with half-up rounding (commercial rounding: half away from zero, what the Besluit vergoeding
 * buitengerechtelijke incassokosten and the interest calculators use), so other users of decimal.js
 * keep their own settings. 40 significant digits keep interest over /365 exact far below a cent.
 *
 * Amounts cross every boundary (HTTP, Temporal payloads, SQL numeric(12,2)) as strings with two
 * decimals, `"1234.50"`; inside, they are Decimals and are rounded once per legal amount.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

/** A decimal string with exactly two decimals, such as `"1234.50"` (api.md, Conventions). */
export type MoneyString = string;

/** Bad input at a boundary: the message says what a valid amount looks like. */
export class MoneyParseError extends Error {
  override readonly name = 'MoneyParseError';
}

/**
 * A Decimal in the Money clone. Numbers are accepted only as safe integers (`money(0)`): a
 * fractional number is already a binary float and may have lost the cents.
 */
export function money(value: string | Decimal | number): Decimal {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`money(${value}): pass fractional amounts as strings, a float cannot hold cents exactly`);
  }
  const amount = new Money(value);
  if (!amount.isFinite()) throw new RangeError(`money(${String(value)}): not a finite amount`);
  return amount;
}

/** Half-up to cents: the one rounding rule for every legal amount (domain.md §2). */
export function toCents(value: string | Decimal): Decimal {
  return money(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Two decimals, half-up; zero is always "0.00", never "-0.00". */
export function formatMoney(value: string | Decimal): MoneyString {
  const rounded = toCents(value);
  return rounded.isZero() ? '0.00' : rounded.toFixed(2);
}

/** numeric(12,2) in the database: at most ten digits before the decimal point. */
const largestAmount = money('9999999999.99');
const plainDecimal = /^-?\d+(\.\d+)?$/;

export interface MoneyParseOptions {
  /** Default false: a negative amount is refused. */
  readonly allowNegative?: boolean;
  /** Default true: "0.00" is accepted. */
  readonly allowZero?: boolean;
}

/**
 * Reads an amount from outside (JSON, XML, a form) strictly: a string of digits with at most two
 * decimals ("812", "812.5", "812.50"). Refused: numbers (they are floats already), empty strings,
 * whitespace, exponents, signs other than a leading minus, more than two decimals, and amounts
 * beyond numeric(12,2). Returns the amount normalized to two decimals.
 */
export function parseMoney(input: unknown, options: MoneyParseOptions = {}): MoneyString {
  if (typeof input !== 'string') {
    throw new MoneyParseError(`an amount is a decimal string such as "812.50", not ${input === null ? 'null' : typeof input}`);
  }
  if (input.length === 0) throw new MoneyParseError('an amount may not be empty; write it as "812.50"');
  if (input.trim() !== input) throw new MoneyParseError(`"${input}" has spaces around it; write the amount as "812.50"`);
  if (/e/i.test(input)) throw new MoneyParseError(`"${input}" uses exponent notation; write the amount as "812.50"`);
  if (!plainDecimal.test(input)) throw new MoneyParseError(`"${input}" is not an amount: use digits and a decimal point, such as "812.50"`);
  if ((input.split('.')[1]?.length ?? 0) > 2) throw new MoneyParseError(`"${input}" has more than two decimals; amounts are in whole cents`);
  const amount = money(input);
  if (amount.abs().gt(largestAmount)) throw new MoneyParseError(`"${input}" is larger than ${largestAmount.toFixed(2)}, the largest amount stored`);
  if (amount.isZero()) {
    if (options.allowZero === false) throw new MoneyParseError('the amount must be more than 0.00');
  } else if (amount.isNegative() && !options.allowNegative) {
    throw new MoneyParseError(`"${input}" is negative; only a positive amount is allowed here`);
  }
  return formatMoney(amount);
}

const moneySchema = (options: MoneyParseOptions) =>
  z.string().transform((value, ctx): MoneyString => {
    try {
      return parseMoney(value, options);
    } catch (error) {
      if (!(error instanceof MoneyParseError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  });

/** A positive amount with at most two decimals, normalized to two ("812.5" → "812.50"). */
export const moneyString = moneySchema({ allowZero: false });
/** Zero or a positive amount with at most two decimals, normalized to two. */
export const nonNegativeMoneyString = moneySchema({ allowZero: true });

/** The exact sum (no rounding): round once, where the sum becomes a legal amount. */
export function sumMoney(values: readonly (string | Decimal)[]): Decimal {
  return values.reduce<Decimal>((sum, value) => sum.plus(value), money(0));
}

/** Integer cents, for Temporal search attributes (Int), where a decimal string cannot go. */
export function centsOf(value: string | Decimal): number {
  const cents = toCents(value).times(100).toNumber();
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${String(value)} is too large to count in integer cents`);
  return cents;
}
