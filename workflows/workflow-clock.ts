import { amsterdamDate } from '../shared/calendar/amsterdam-clock.js';
import type { IsoDate } from '../shared/calendar/iso-date.js';

/**
 * Today's date in Amsterdam. Inside a workflow Date.now() is the deterministic workflow clock
 * (the time of the current workflow task), so this replays the same.
 */
export function today(): IsoDate {
  return amsterdamDate(Date.now());
}
