import { dateBeyondHorizon } from '../../shared/calendar/plausible-dates.js';
import { invalidInput } from '../http/errors.js';

export interface DateCheck {
  /** Where the date is in the request, as zod names a field (`['bookedOn']`, `['instalments', 0, 'dueDate']`). */
  readonly path: readonly (string | number)[];
  /** Absent dates are not checked (an optional field that was left out). */
  readonly date: string | undefined;
  /** At most this many days after today (0: not after today). */
  readonly maxDaysAfter?: number;
  /** At least this many days after today (0: not before today). */
  readonly minDaysAfter?: number;
}

/**
 * Refuses dates implausible against today with a 400 in the shape parseInput gives, naming each
 * field. Runs at the route, after the schema, because today is the API's clock (the simulated one
 * in simulation), which a schema cannot ask.
 */
export function requirePlausibleDates(what: string, today: string, checks: readonly DateCheck[]): void {
  const issues = checks.flatMap((check) => {
    if (check.date === undefined) return [];
    const message = dateBeyondHorizon(check.date, today, check);
    return message ? [{ path: [...check.path], code: 'custom' as const, message }] : [];
  });
  if (issues.length > 0) throw invalidInput(what, issues);
}
