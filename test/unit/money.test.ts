import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsOf, formatMoney, money, MoneyParseError, moneyString, nonNegativeMoneyString, parseMoney, sumMoney, toCents } from '../../shared/money.js';

describe('money', () => {
  it('rounds half up (away from zero) to cents, where native floats do not', () => {
    expect(toCents(money('1.005')).toFixed(2)).toBe('1.01');
    expect(toCents(money('-2.345')).toFixed(2)).toBe('-2.35');
    expect(toCents(money('121.8525')).toFixed(2)).toBe('121.85');
  });

  it('formats with two decimals and never as -0.00', () => {
    expect(formatMoney('812.5')).toBe('812.50');
    expect(formatMoney(money('0'))).toBe('0.00');
    expect(formatMoney(money('-0.004'))).toBe('0.00');
    expect(formatMoney(money('-0'))).toBe('0.00');
    expect(formatMoney(money('-12.3'))).toBe('-12.30');
  });

  it('refuses fractional numbers and non-finite values', () => {
    expect(money(0).toString()).toBe('0');
    expect(() => money(0.1)).toThrow(RangeError);
    expect(() => money('NaN')).toThrow(RangeError);
    expect(() => money('Infinity')).toThrow(RangeError);
  });

  it('parses "812.5", "812.50" and "812" to two decimals', () => {
    expect(parseMoney('812.5')).toBe('812.50');
    expect(parseMoney('812.50')).toBe('812.50');
    expect(parseMoney('812')).toBe('812.00');
    expect(parseMoney('0')).toBe('0.00');
    expect(parseMoney('9999999999.99')).toBe('9999999999.99');
  });

  it.each([
    ['more than two decimals', '812.505'],
    ['exponent notation', '8.125e2'],
    ['upper-case exponent', '1E3'],
    ['empty', ''],
    ['whitespace', ' 812.50'],
    ['trailing whitespace', '812.50\n'],
    ['text', 'abc'],
    ['a comma', '812,50'],
    ['a plus sign', '+812.50'],
    ['a bare decimal point', '812.'],
    ['no integer part', '.50'],
    ['hexadecimal', '0x10'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['too large for numeric(12,2)', '10000000000.00'],
  ])('refuses %s', (_, input) => {
    expect(() => parseMoney(input)).toThrow(MoneyParseError);
  });

  it('refuses numbers, null and objects: only strings', () => {
    expect(() => parseMoney(812.5)).toThrow(/not number/);
    expect(() => parseMoney(null)).toThrow(/not null/);
    expect(() => parseMoney({})).toThrow(MoneyParseError);
  });

  it('refuses negatives and zero only when told to', () => {
    expect(() => parseMoney('-1.00')).toThrow(/negative/);
    expect(parseMoney('-1.5', { allowNegative: true })).toBe('-1.50');
    expect(parseMoney('-0.00')).toBe('0.00');
    expect(() => parseMoney('0.00', { allowZero: false })).toThrow(/more than 0.00/);
  });

  it('has zod schemas that normalize and report the reason', () => {
    expect(moneyString.parse('812.5')).toBe('812.50');
    expect(moneyString.safeParse('0.00').success).toBe(false);
    expect(moneyString.safeParse('-5.00').success).toBe(false);
    expect(moneyString.safeParse(812.5).success).toBe(false);
    const refused = moneyString.safeParse('1.234');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/more than two decimals/);
    expect(nonNegativeMoneyString.parse('0')).toBe('0.00');
    expect(nonNegativeMoneyString.safeParse('-0.01').success).toBe(false);
  });

  it('sums exactly and counts integer cents', () => {
    expect(sumMoney(['0.10', '0.20', money('0.30')]).toString()).toBe('0.6');
    expect(sumMoney([]).toString()).toBe('0');
    expect(centsOf('1234.50')).toBe(123450);
    expect(centsOf('0.00')).toBe(0);
    expect(centsOf('-0.01')).toBe(-1);
  });

  it('property: format(parse(x)) round-trips every cent amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (cents) => {
        const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        expect(parseMoney(text)).toBe(text);
        expect(formatMoney(parseMoney(text))).toBe(text);
        expect(centsOf(parseMoney(text))).toBe(cents);
      }),
    );
  });

  it('property: a parsed amount with one or no decimals formats to the same value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.option(fc.integer({ min: 0, max: 9 })), (whole, tenth) => {
        const text = tenth === null ? String(whole) : `${whole}.${tenth}`;
        expect(money(parseMoney(text)).eq(money(text))).toBe(true);
      }),
    );
  });
});
