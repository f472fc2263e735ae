import { describe, expect, it } from 'vitest';
import { requirePlausibleDates } from '../../../services/api/date-checks.js';
import { HttpError } from '../../../services/http/errors.js';

describe('requirePlausibleDates', () => {
  it('passes dates within their horizon and absent ones', () => {
    expect(() =>
      requirePlausibleDates('payment', '2026-11-20', [
        { path: ['bookedOn'], date: '2026-11-27', maxDaysAfter: 7 },
        { path: ['since'], date: undefined, maxDaysAfter: 7 },
      ]),
    ).not.toThrow();
  });

  it('refuses each implausible date with a 400 naming its field, as parseInput does', () => {
    let refusal: unknown;
    try {
      requirePlausibleDates('task outcome', '2026-11-20', [
        { path: ['promisedOn'], date: '2026-11-19', minDaysAfter: 0, maxDaysAfter: 366 },
        { path: ['instalments', 1, 'dueDate'], date: '2099-12-31', maxDaysAfter: 366 },
      ]);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(HttpError);
    expect(refusal).toMatchObject({
      status: 400,
      code: 'invalid_request',
      message: 'invalid task outcome: promisedOn: may not be before today (2026-11-20); instalments.1.dueDate: may not be after 2027-11-21 (today + 366 days)',
      details: [
        { path: ['promisedOn'], code: 'custom', message: 'may not be before today (2026-11-20)' },
        { path: ['instalments', 1, 'dueDate'], code: 'custom', message: 'may not be after 2027-11-21 (today + 366 days)' },
      ],
    });
  });
});
