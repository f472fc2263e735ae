import { describe, expect, it } from 'vitest';
import type { DebitSubmitted } from '../../../shared/direct-debit/advance-account-messages.js';
import type { DebitOutcome } from '../../../shared/direct-debit/debit-outcome.js';
import { AdvanceAccount } from '../../../workflows/advance-account/advance-account-state.js';

const laterRuns = [{ runId: 'c.2027-03.2', collectionDate: '2027-03-10', submitBy: '2027-03-09' }];
const submitted = (attempt = 1, runId = 'c.2027-03.1', collectionDate = '2027-03-01'): DebitSubmitted => ({
  endToEndId: `VS202703A${attempt}-X`,
  runId,
  month: '2027-03',
  attempt,
  amount: '85.00',
  collectionDate,
  amendment: false,
  laterRuns: attempt === 1 ? laterRuns : [],
});
const outcome = (kind: DebitOutcome['kind'], reasonCode: string | null, attempt = 1): DebitOutcome => ({
  endToEndId: `VS202703A${attempt}-X`,
  kind,
  reasonCode,
  on: '2027-03-04',
  amount: '85.00',
  source: kind === 'rejected' ? 'pain.002' : 'camt.053',
});
const kinds = (account: AdvanceAccount) => account.takeDecisions().map((d) => d.kind);

describe('the advance account decides what a failed debit becomes', () => {
  it('retries AM04, MS02, MS03 and a return without reason once in a later run of the month', () => {
    for (const reason of ['AM04', 'MS02', 'MS03', null]) {
      const account = new AdvanceAccount();
      account.submitted(submitted());
      account.outcome(outcome('returned', reason), '2027-03-04');
      const decisions = account.takeDecisions();
      expect(decisions.map((d) => d.kind), String(reason)).toEqual(['record_fate', 'retry']);
      expect(decisions[1]).toMatchObject({ month: '2027-03', attempt: 2, run: { runId: 'c.2027-03.2' } });
    }
  });

  it('never retries a refund (MD06, MD01) or a stopped mandate or account (AC01, AC04, AC06, MD07): the track takes it', () => {
    for (const [kind, reason] of [['refunded', 'MD06'], ['refunded', 'MD01'], ['returned', 'AC04'], ['rejected', 'AC01'], ['returned', 'AC06'], ['returned', 'MD07']] as const) {
      const account = new AdvanceAccount();
      account.submitted(submitted());
      account.collectDue('2027-03-02');
      account.takeDecisions();
      account.outcome(outcome(kind, reason), '2027-03-04');
      const decisions = account.takeDecisions();
      expect(decisions.map((d) => d.kind), reason).toEqual(['record_fate', 'hand_over']);
      expect(decisions[1]).toMatchObject({ month: '2027-03', amount: '85.00', dueDate: '2027-03-01', reasonCode: reason });
    }
  });

  it('hands the month over when the retry fails too, or when no later run can still take it', () => {
    const account = new AdvanceAccount();
    account.submitted(submitted());
    account.outcome(outcome('returned', 'AM04'), '2027-03-04');
    account.takeDecisions();
    account.submitted(submitted(2, 'c.2027-03.2', '2027-03-10'));
    account.outcome(outcome('returned', 'AM04', 2), '2027-03-12');
    expect(kinds(account)).toEqual(['record_fate', 'hand_over']);

    const late = new AdvanceAccount();
    late.submitted(submitted());
    late.outcome(outcome('returned', 'AM04'), '2027-03-09'); // the second run's file goes today
    expect(kinds(late)).toEqual(['record_fate', 'hand_over']);
  });

  it('applies an outcome once per end-to-end id and kind, and carries what it saw over continue-as-new', () => {
    const account = new AdvanceAccount();
    account.submitted(submitted());
    account.outcome(outcome('returned', 'AM04'), '2027-03-04');
    account.outcome(outcome('returned', 'AM04'), '2027-03-04');
    expect(kinds(account)).toEqual(['record_fate', 'retry']);
    const next = new AdvanceAccount(account.snapshot('2027-03-05'));
    next.outcome(outcome('returned', 'AM04'), '2027-03-05');
    expect(next.hasDecisions()).toBe(false);
    expect(next.months()[0]).toMatchObject({ month: '2027-03', retryRunId: 'c.2027-03.2' });
  });

  it('counts a debit collected at the end of its collection day, and keeps 13 months for MD01', () => {
    const account = new AdvanceAccount();
    account.submitted(submitted());
    expect(account.nextCollectionDate()).toBe('2027-03-01');
    account.collectDue('2027-02-28');
    expect(account.months()[0]!.attempts[0]!.status).toBe('submitted');
    account.collectDue('2027-03-01');
    expect(account.months()[0]!.attempts[0]!.status).toBe('collected');
    expect(account.nextCollectionDate()).toBeNull();
    expect(account.snapshot('2028-04-15').months).toHaveLength(1);
    expect(account.snapshot('2028-05-01').months).toHaveLength(0);
  });
});

describe('a month paid another way', () => {
  it('drops a queued retry and hands nothing over afterwards; a repeat answers the same', () => {
    const account = new AdvanceAccount();
    account.submitted(submitted());
    account.outcome(outcome('returned', 'AM04'), '2027-03-04');
    expect(account.paidOtherwise({ month: '2027-03', amount: '85.00', paidOn: '2027-03-05' })).toEqual({ handedToTrack: false });
    // The fate of the debit is still recorded; the retry queued before is not booked.
    expect(kinds(account)).toEqual(['record_fate']);
    expect(account.isPaidOtherwise('2027-03')).toBe(true);
    account.outcome(outcome('refunded', 'MD06'), '2027-03-20');
    expect(kinds(account)).toEqual(['record_fate']);
    account.retryFailed('2027-03');
    expect(kinds(account)).toEqual([]);
    expect(account.paidOtherwise({ month: '2027-03', amount: '85.00', paidOn: '2027-03-05' })).toEqual({ handedToTrack: false });
    expect(account.snapshot('2027-04-01').months[0]).toMatchObject({ month: '2027-03', paidOtherwiseOn: '2027-03-05' });
  });

  it('answers that a month already on the track was handed over, so the caller books the payment there', () => {
    const account = new AdvanceAccount();
    account.submitted(submitted());
    account.outcome(outcome('refunded', 'MD06'), '2027-03-20');
    expect(kinds(account)).toEqual(['record_fate', 'hand_over']);
    account.handedOver('2027-03', '2027-03-20');
    expect(account.paidOtherwise({ month: '2027-03', amount: '85.00', paidOn: '2027-04-02' })).toEqual({ handedToTrack: true });
  });

  it('takes a month no debit of which the account has heard of (paid before the run)', () => {
    const account = new AdvanceAccount();
    expect(account.paidOtherwise({ month: '2027-05', amount: '85.00', paidOn: '2027-04-20' })).toEqual({ handedToTrack: false });
    expect(account.months()).toEqual([{ month: '2027-05', amount: '85.00', attempts: [], retryRunId: null, handedOverOn: null, paidOtherwiseOn: '2027-04-20' }]);
    expect(account.nextCollectionDate()).toBeNull();
  });
});

