import { describe, expect, it } from 'vitest';
import { amsterdamDate, amsterdamInstant } from '../../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../../shared/calendar/iso-date.js';
import { sameTimeNextDay } from '../../../services/api/simulation-clock.js';

describe('the simulation clock steps a day at a time (sameTimeNextDay)', () => {
  it.each([
    ['late evening across the spring clock change', '2027-03-27', 23, 30],
    ['late evening across the autumn clock change', '2027-10-30', 23, 30],
    ['just after midnight', '2027-03-27', 0, 10],
    ['an ordinary afternoon', '2026-12-01', 15, 0],
  ])('lands on the next Amsterdam date at the same wall-clock time: %s', (_what, date, hour, minute) => {
    let now = amsterdamInstant(date, hour, minute);
    for (let day = 1; day <= 3; day++) {
      now = sameTimeNextDay(now);
      expect(amsterdamDate(now)).toBe(addDays(date, day));
    }
  });

  it('takes 23 hours over the spring clock change and 25 over the autumn one', () => {
    const spring = amsterdamInstant('2027-03-27', 23, 30);
    expect(sameTimeNextDay(spring) - spring).toBe(23 * 3_600_000);
    const autumn = amsterdamInstant('2027-10-30', 23, 30);
    expect(sameTimeNextDay(autumn) - autumn).toBe(25 * 3_600_000);
  });
});
