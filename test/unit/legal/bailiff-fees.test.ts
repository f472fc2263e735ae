import { describe, expect, it } from 'vitest';
import { bailiffFee, bailiffFeeForReportedAct, BailiffFeesNotKnownError } from '../../../shared/legal/bailiff-fees.js';

describe('bailiff fees (Btag art. 2)', () => {
  it.each([
    ['writ_of_summons', '2025-06-01', '119.40'],
    ['writ_of_summons', '2026-01-01', '125.57'],
    ['service_of_judgment', '2025-12-31', '130.00'],
    ['service_of_judgment', '2026-03-15', '136.71'],
    ['forced_eviction', '2025-01-01', '306.75'],
    ['forced_eviction', '2026-12-31', '322.59'],
  ] as const)('%s on %s costs %s', (act, on, fee) => {
    expect(bailiffFee(act, on)).toBe(fee);
  });

  it('refuses a year not in the data', () => {
    expect(() => bailiffFee('writ_of_summons', '2027-01-01')).toThrow(BailiffFeesNotKnownError);
    expect(() => bailiffFee('writ_of_summons', '2024-12-31')).toThrow(/no bailiff fees known for 2024/);
    expect(() => bailiffFee('writ_of_summons', '2026-02-30')).toThrow(/not a calendar date/);
  });

  it('prices an act already done with the latest known year, marked provisional', () => {
    expect(bailiffFeeForReportedAct('forced_eviction', '2026-05-01')).toEqual({ amount: '322.59', year: 2026, provisional: false });
    expect(bailiffFeeForReportedAct('forced_eviction', '2027-05-01')).toEqual({ amount: '322.59', year: 2026, provisional: true });
    expect(() => bailiffFeeForReportedAct('forced_eviction', '2024-05-01')).toThrow(BailiffFeesNotKnownError);
  });
});
