import { describe, expect, it } from 'vitest';
import { isTarget2BusinessDay } from '../../../shared/calendar/target2.js';
import { collectionDateOf, firstMonthToAnnounce, monthCalendar, overlappingMonth, type CollectionSchedule } from '../../../shared/direct-debit/collection-calendar.js';
import { debitEndToEndId, runMessageId, shortHash } from '../../../shared/direct-debit/direct-debit-ids.js';
import { isSepaSafeId } from '../../../shared/sepa/sepa-characters.js';

const schedule: CollectionSchedule = { collectionDay: 1, collectionDayShift: 'later', prenoticeDays: 14, runsPerMonth: 2, runIntervalDays: 7 };

describe('the collection calendar', () => {
  it('moves a collection day that is no TARGET2 business day, within the month', () => {
    expect(collectionDateOf(schedule, '2027-01')).toBe('2027-01-04'); // New Year's Day (Fri), then the weekend
    expect(collectionDateOf({ ...schedule, collectionDayShift: 'earlier' }, '2027-01')).toBe('2027-01-04'); // earlier would leave January
    expect(collectionDateOf({ ...schedule, collectionDay: 26, collectionDayShift: 'earlier' }, '2026-12')).toBe('2026-12-24');
    expect(collectionDateOf({ ...schedule, collectionDay: 26 }, '2026-12')).toBe('2026-12-28');
    for (let m = 1; m <= 12; m++) expect(isTarget2BusinessDay(collectionDateOf(schedule, `2027-${String(m).padStart(2, '0')}`))).toBe(true);
  });

  it('pre-notifies the configured calendar days before, submits by D-1, and keeps the later runs in the month', () => {
    const march = monthCalendar(schedule, '2027-03');
    expect(march).toEqual({
      month: '2027-03',
      prenoticeOn: '2027-02-15',
      runs: [
        { sequence: 1, collectionDate: '2027-03-01', submitBy: '2027-02-26' },
        { sequence: 2, collectionDate: '2027-03-10', submitBy: '2027-03-09' },
      ],
    });
    expect(monthCalendar({ ...schedule, collectionDay: 25 }, '2027-03').runs).toHaveLength(1);
    expect(firstMonthToAnnounce(schedule, '2026-12-02')).toBe('2027-01');
    expect(firstMonthToAnnounce(schedule, '2026-12-21')).toBe('2027-01');
    expect(firstMonthToAnnounce(schedule, '2026-12-22')).toBe('2027-02');
  });

  it('finds a schedule whose last run would go after the next pre-notification', () => {
    expect(overlappingMonth(schedule, '2027-01')).toBeNull();
    expect(overlappingMonth({ ...schedule, collectionDay: 20, prenoticeDays: 30, runsPerMonth: 2 }, '2027-01')).not.toBeNull();
  });
});

describe('the ids in the file', () => {
  it('are at most 35 SEPA characters, stable, and differ by creditor, occupancy, month and attempt', () => {
    const id = debitEndToEndId('creditor-with-a-rather-long-identifier-of-eighty-characters-xxxxxxxxxxxxxxxxxxx', 'occupancy/éé', '2027-03', 2);
    expect(id.length).toBeLessThanOrEqual(35);
    expect(isSepaSafeId(id)).toBe(true);
    expect(id).toBe(debitEndToEndId('creditor-with-a-rather-long-identifier-of-eighty-characters-xxxxxxxxxxxxxxxxxxx', 'occupancy/éé', '2027-03', 2));
    const variants = new Set([debitEndToEndId('c', 'o1', '2027-03', 1), debitEndToEndId('c', 'o2', '2027-03', 1), debitEndToEndId('c', 'o1', '2027-04', 1), debitEndToEndId('c', 'o1', '2027-03', 2), debitEndToEndId('d', 'o1', '2027-03', 1)]);
    expect(variants.size).toBe(5);
    expect(isSepaSafeId(runMessageId('c', '2027-03', 1))).toBe(true);
    expect(shortHash('a')).toHaveLength(13);
  });
});
