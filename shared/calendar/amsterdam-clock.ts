/**
 * Legal dates are Dutch calendar days, but the clocks (workflow time, server time) are UTC
 * instants. This converts between the two with the EU summer-time rule written out, so the
 * result never depends on a host's TZ or ICU data: a replay on another worker image gives the
 * same dates. EU rule (Directive 2000/84/EC): summer time from the last Sunday of March 01:00 UTC
 * to the last Sunday of October 01:00 UTC; CET is UTC+1, CEST UTC+2.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

function lastSundayUtc(year: number, monthIndex: number): number {
  const lastDay = Date.UTC(year, monthIndex + 1, 0);
  const weekday = new Date(lastDay).getUTCDay();
  return lastDay - weekday * DAY_MS;
}

/** The offset of Amsterdam from UTC at an instant, in milliseconds. */
export function amsterdamOffsetMs(epochMs: number): number {
  const year = new Date(epochMs).getUTCFullYear();
  const summerStart = lastSundayUtc(year, 2) + HOUR_MS;
  const summerEnd = lastSundayUtc(year, 9) + HOUR_MS;
  return epochMs >= summerStart && epochMs < summerEnd ? 2 * HOUR_MS : HOUR_MS;
}

/** The Amsterdam calendar date (`YYYY-MM-DD`) at an instant. */
export function amsterdamDate(epochMs: number): string {
  return new Date(epochMs + amsterdamOffsetMs(epochMs)).toISOString().slice(0, 10);
}

/**
 * The instant a given Amsterdam wall-clock time occurs on a date (default midnight). Both
 * candidate offsets are tried; at midnight there is never an ambiguity since the switches happen at
 * 02:00/03:00 local time.
 */
export function amsterdamInstant(isoDate: string, hour = 0, minute = 0): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const wallClockAsUtc = Date.UTC(y, m - 1, d, hour, minute);
  for (const offset of [HOUR_MS, 2 * HOUR_MS]) {
    const candidate = wallClockAsUtc - offset;
    if (amsterdamOffsetMs(candidate) === offset) return candidate;
  }
  return wallClockAsUtc - HOUR_MS;
}
