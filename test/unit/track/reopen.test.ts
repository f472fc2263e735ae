import { describe, expect, it } from 'vitest';
import { newTrackData, reopenTrackData } from '../../../workflows/collection-track/track-data.js';
import { TrackState } from '../../../workflows/collection-track/track-state.js';

const input = { caseId: '00000000-0000-4000-8000-000000000001', corporationId: 'acme', proposedSegment: 'unknown' as const, openedBy: 'first' };
const at = (date: string) => Date.parse(`${date}T10:00:00Z`);

/** A closed track of one claim: paid, or written off after a WSNP ruling stopped its interest. */
function closedTrack(reason: 'paid' | 'written_off') {
  const track = new TrackState(newTrackData(input));
  track.registerClaims([{ invoiceRef: 'R-1', amount: '800.00', dueDate: '2026-01-01' }], at('2026-01-01'));
  track.addLetter({ letterId: 'L-1', kind: 'reminder', date: '2026-01-06', channel: 'post', deliveredAt: null, invoiceRefs: ['R-1'] }, at('2026-01-06'));
  if (reason === 'paid') {
    track.registerPayment({ transactionId: 'T-1', amount: track.outstanding('2026-03-01'), bookedOn: '2026-03-01' }, at('2026-03-01'));
  } else {
    track.registerException({ kind: 'wsnp', since: '2026-02-01', registeredBy: 'operator' }, at('2026-02-01'));
    track.registerPayment({ transactionId: 'T-1', amount: '100.00', bookedOn: '2026-02-15' }, at('2026-02-15'));
  }
  track.close(reason, at('2026-03-01'));
  return track;
}

describe('a new cycle on a closed contract (reopenTrackData)', () => {
  it('carries the history, starts its own ladder and collects only the new claim after a paid close', () => {
    const previous = closedTrack('paid');
    const next = new TrackState(reopenTrackData(previous.data, { ...input, openedBy: 'second' }));
    next.registerClaims([{ invoiceRef: 'R-2', amount: '820.00', dueDate: '2026-06-01' }], at('2026-05-20'));
    expect(next.outstanding('2026-06-01')).toBe('820.00');
    expect(next.stage).toBe('reminder');
    expect(next.closed).toBe(false);
    expect(next.data.payments.map((p) => p.transactionId)).toEqual(['T-1']);
    expect(next.letters.map((l) => l.letterId)).toEqual(['L-1']);
    // The closed cycle's reminder does not count as a rung of the new ladder; ids of the new cycle differ.
    expect(next.lettersOfCycle).toEqual([]);
    expect(next.cycle).toBe(previous.cycle + 1);
  });

  it('keeps written off what the closed cycle wrote off, with the interest that the ruling stopped', () => {
    const previous = closedTrack('written_off');
    expect(previous.outstanding('2026-03-01')).not.toBe('0.00');
    const next = new TrackState(reopenTrackData(previous.data, { ...input, openedBy: 'second' }));
    next.registerClaims([{ invoiceRef: 'R-2', amount: '820.00', dueDate: '2026-06-01' }], at('2026-05-20'));
    // A year on, the written-off claim still asks for nothing: no principal, no interest.
    expect(next.ledger('2027-06-01').claims.find((c) => c.invoiceRef === 'R-1')).toMatchObject({ open: '0.00', openInterest: '0.00' });
    expect(next.outstanding('2026-06-01')).toBe('820.00');
    // Written off is not paid.
    expect(next.paidTotal()).toBe('100.00');
  });
});
