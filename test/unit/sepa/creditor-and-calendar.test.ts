import { describe, expect, it } from 'vitest';
import { isTarget2BusinessDay, target2BusinessDayOnOrAfter, target2BusinessDayOnOrBefore, target2BusinessDaysBefore } from '../../../shared/calendar/target2.js';
import { isValidCreditorIdentifier } from '../../../shared/sepa/creditor-identifier.js';

/** Issue 13: who may collect (incassant-ID) and on which days (TARGET2), interfaces.md §1.4 and §6.1. */
describe('creditor identifier check digits', () => {
  it('accepts valid ones', () => {
    expect(isValidCreditorIdentifier('NL69ZZZ123456780000')).toBe(true);
    expect(isValidCreditorIdentifier('DE98ZZZ09999999999')).toBe(true);
  });

  it('refuses the ING sample ids, whose check digits are wrong, and malformed ones', () => {
    expect(isValidCreditorIdentifier('NL89ZZZ011234567890')).toBe(false);
    expect(isValidCreditorIdentifier('NL11ZZZ111123333111')).toBe(false);
    expect(isValidCreditorIdentifier('NL70ZZZ123456780000')).toBe(false);
    expect(isValidCreditorIdentifier('NL69ZZZ12345678000')).toBe(false);
    expect(isValidCreditorIdentifier('nl69zzz123456780000')).toBe(false);
  });
});

describe('the TARGET2 calendar', () => {
  it('is closed on Good Friday and Easter Monday 2026, New Year, 1 May and Christmas', () => {
    for (const day of ['2026-04-03', '2026-04-06', '2026-01-01', '2026-05-01', '2026-12-25', '2026-12-26']) expect(isTarget2BusinessDay(day), day).toBe(false);
  });

  it("is open on King's Day, Ascension Day, Whit Monday and Liberation Day, which Dutch statute closes", () => {
    for (const day of ['2026-04-27', '2026-05-14', '2026-05-25', '2025-05-05']) expect(isTarget2BusinessDay(day), day).toBe(true);
  });

  it('is closed at weekends, and moves a collection date to a business day', () => {
    expect(isTarget2BusinessDay('2026-08-01')).toBe(false);
    expect(target2BusinessDayOnOrAfter('2026-08-01')).toBe('2026-08-03');
    expect(target2BusinessDayOnOrBefore('2026-08-01')).toBe('2026-07-31');
    // D-1 before Easter Tuesday 2026 skips Easter Monday, the weekend and Good Friday.
    expect(target2BusinessDaysBefore('2026-04-07', 1)).toBe('2026-04-02');
  });
});
