import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { arrangementMonitorWorkflowId, proposeArrangementUpdate } from '../../shared/arrangement/arrangement-messages.js';
import { addDays, daysBetween } from '../../shared/calendar/iso-date.js';
import { formatMoney, money } from '../../shared/money.js';
import type { CollectionPolicy } from '../../shared/policy/collection-policy.js';
import { holdSignal } from '../../shared/track/hold-messages.js';
import { completeTaskUpdate, confirmSegmentUpdate, recordEarlyWarningObjectionUpdate, resolveExceptionUpdate } from '../../shared/track/messages.js';
import type { Segment } from '../../shared/track/stages.js';
import { HttpError } from '../../services/http/errors.js';
import { recordHistory } from '../support/histories.js';
import { policyWith } from '../support/policies.js';
import { startServices, type RunningServices } from '../support/services.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping.js';
import { caseRequest, ensureTestCorporation, rentClaim, seedCase } from '../support/tracks.js';

let database: TestDatabase;
let services: RunningServices;
let harness: TimeSkippingHarness;
let corporations = 0;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'));
  services = await startServices(database.db);
  harness = await startTimeSkipping(database.db, services);
});

afterAll(async () => {
  await harness?.close();
  await services?.close();
  await database?.drop();
});

/** Each test runs under a corporation of its own, so it can store the policy it needs. */
async function openTrack(
  policy: CollectionPolicy,
  claims: ReturnType<typeof rentClaim>[],
  options: { segment?: Segment; municipalityCode?: string; continueAsNewAfterEvents?: number } = {},
) {
  const corporationId = `process-corp-${++corporations}`;
  await ensureTestCorporation(database.db, { corporationId, policy, bailiffOfficeId: 'gdw-process' });
  const request = caseRequest({ corporationId, claims, segment: options.segment ?? 'unknown' });
  const ref = await seedCase(database.db, { ...request, debtor: { ...request.debtor, phone: '06-12345678' } });
  // The ladder's e-mail and SMS rungs go by those channels only with the tenant's consent (else by post).
  await database.db.insertInto('debtor_consent').values({ case_id: ref.caseId, email: true, sms: true, whatsapp: false, recorded_by: 'test' }).execute();
  await harness.tracks.openOrExtend({ ...ref, corporationId }, request.segment, claims, {
    ...(options.municipalityCode ? { municipalityCode: options.municipalityCode } : {}),
    ...(options.continueAsNewAfterEvents ? { continueAsNewAfterEvents: options.continueAsNewAfterEvents } : {}),
  });
  await harness.clock.settle();
  return { ...ref, corporationId };
}

const status = (workflowId: string) => harness.tracks.status(workflowId);

/** Moves the clock to a date (never backwards) and lets every track act on the way. */
async function advanceTo(date: string) {
  const days = daysBetween(await harness.today(), date);
  if (days > 0) await harness.clock.advance(days);
  expect(await harness.today()).toBe(date);
}

async function lettersOf(caseId: string) {
  return database.db.selectFrom('letter').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
}

const ladderPolicy = policyWith(
  {
    reminders: [
      { afterDefaultDays: 5, channel: 'post' },
      { afterDefaultDays: 12, channel: 'email' },
    ],
    callRound: { afterDefaultDays: 15, expiresAfterDays: 7 },
    wikLetterAfterLastReminderDays: 9,
  },
  { earlyWarning: { default: { afterDefaultDays: 20, minimumArrears: '100.00' }, municipalities: {} } },
);

describe('the amicable phase under a corporation policy', () => {
  it('follows the reminder ladder on its channels, opens a call task, signals the municipality once the preconditions hold, then sends the 14-day letter', async () => {
    const day0 = await harness.today();
    // Due yesterday: default starts today (art. 6:83 sub a BW), the policy counts from here.
    const track = await openTrack(ladderPolicy, [rentClaim('L-1', '812.50', addDays(day0, -1))], { municipalityCode: 'GM0363' });
    let s = await status(track.workflowId);
    expect(s.policyVersion).toBe(1);
    expect(s.nextDeadline).toEqual({ kind: 'reminder_1', date: addDays(day0, 5) });

    await advanceTo(addDays(day0, 5));
    await advanceTo(addDays(day0, 12));
    s = await status(track.workflowId);
    expect(s.letters.map((l) => [l.kind, l.channel, l.date])).toEqual([
      ['reminder', 'post', addDays(day0, 5)],
      ['reminder', 'email', addDays(day0, 12)],
    ]);

    await advanceTo(addDays(day0, 15));
    s = await status(track.workflowId);
    const task = s.tasks.find((t) => t.kind === 'call')!;
    expect(task).toMatchObject({ status: 'open', openedOn: addDays(day0, 15), expiresOn: addDays(day0, 22) });
    expect(await database.db.selectFrom('task').select(['status']).where('task_id', '=', task.taskId).executeTakeFirst()).toEqual({ status: 'open' });

    // The call is the personal contact attempt the Bgs asks for.
    const done = await harness.tracks.update(track.workflowId, completeTaskUpdate, [{ taskId: task.taskId, outcome: 'not_reached', completedOn: addDays(day0, 15), actor: 'operator:test' }]);
    expect(done.accepted).toBe(true);
    // A second outcome for the same task changes nothing.
    expect((await harness.tracks.update(track.workflowId, completeTaskUpdate, [{ taskId: task.taskId, outcome: 'reached', completedOn: addDays(day0, 15), actor: 'operator:test' }])).accepted).toBe(false);

    // Day 19: the municipality's 20 days are not reached yet.
    await advanceTo(addDays(day0, 19));
    expect((await status(track.workflowId)).earlyWarning).toBeNull();
    await advanceTo(addDays(day0, 20));
    s = await status(track.workflowId);
    expect(s.earlyWarning).toMatchObject({ sentOn: addDays(day0, 20) });
    const signals = await database.db.selectFrom('municipality_signal').selectAll().where('case_id', '=', track.caseId).execute();
    expect(signals).toHaveLength(1);
    expect(signals[0]!.kind).toBe('early_warning');

    // The 14-day letter: 9 days after the last reminder.
    await advanceTo(addDays(day0, 21));
    s = await status(track.workflowId);
    expect(s.stage).toBe('wik_letter');
    expect(s.letters.at(-1)).toMatchObject({ kind: 'wik', date: addDays(day0, 21), policyVersion: 1 });
  });

  it('catches up on a claim reported long after default one rung at a time, and gives a late task its full days', async () => {
    const day0 = await harness.today();
    const track = await openTrack(ladderPolicy, [rentClaim('C-1', '700.00', addDays(day0, -40))]);
    let s = await status(track.workflowId);
    // Every rung's day has passed: the first goes now, the second keeps the ladder's 7 days' spacing.
    expect(s.letters.map((l) => [l.kind, l.date])).toEqual([['reminder', day0]]);
    expect(s.tasks.find((t) => t.kind === 'call')).toMatchObject({ status: 'open', openedOn: day0, expiresOn: addDays(day0, 7) });
    await advanceTo(addDays(day0, 7));
    s = await status(track.workflowId);
    expect(s.letters.map((l) => [l.kind, l.channel, l.date])).toEqual([
      ['reminder', 'post', day0],
      ['reminder', 'email', addDays(day0, 7)],
    ]);
  });

  it('keeps escalation back for a promise to pay and never signals the municipality after an objection', async () => {
    const day0 = await harness.today();
    const track = await openTrack(ladderPolicy, [rentClaim('P-1', '600.00', addDays(day0, -1))]);
    await advanceTo(addDays(day0, 10));
    const objection = await harness.tracks.update(track.workflowId, recordEarlyWarningObjectionUpdate, [{ objectedOn: addDays(day0, 10), actor: 'operator:test' }]);
    expect(objection).toEqual({ recorded: true, signalSent: false });

    await advanceTo(addDays(day0, 15));
    const task = (await status(track.workflowId)).tasks[0]!;
    await harness.tracks.update(track.workflowId, completeTaskUpdate, [
      { taskId: task.taskId, outcome: 'promise_to_pay', promisedOn: addDays(day0, 25), completedOn: addDays(day0, 15), actor: 'operator:test' },
    ]);
    expect((await status(track.workflowId)).nextDeadline).toEqual({ kind: 'promise_to_pay', date: addDays(day0, 26) });

    // Without the promise the 14-day letter would have gone on day 21.
    await advanceTo(addDays(day0, 25));
    let s = await status(track.workflowId);
    expect(s.letters.map((l) => l.kind)).toEqual(['reminder', 'reminder']);
    expect(s.earlyWarning).toBeNull();
    await advanceTo(addDays(day0, 26));
    s = await status(track.workflowId);
    expect(s.letters.at(-1)).toMatchObject({ kind: 'wik', date: addDays(day0, 26) });
    expect(s.earlyWarning).toBeNull();
  });

  it('expires a task nobody completed and routes a dispute from a visit to the parked state', async () => {
    const day0 = await harness.today();
    const policy = policyWith({ callRound: { afterDefaultDays: 6, expiresAfterDays: 2 }, homeVisit: { afterDefaultDays: 10, expiresAfterDays: 5 } });
    const track = await openTrack(policy, [rentClaim('T-1', '450.00', addDays(day0, -1))]);
    await advanceTo(addDays(day0, 8));
    let s = await status(track.workflowId);
    expect(s.tasks.find((t) => t.kind === 'call')).toMatchObject({ status: 'expired' });
    await advanceTo(addDays(day0, 10));
    const visit = (await status(track.workflowId)).tasks.find((t) => t.kind === 'visit')!;
    expect(visit.status).toBe('open');
    await harness.tracks.update(track.workflowId, completeTaskUpdate, [{ taskId: visit.taskId, outcome: 'dispute', completedOn: addDays(day0, 10), actor: 'operator:test' }]);
    await harness.clock.settle();
    s = await status(track.workflowId);
    expect(s.stage).toBe('parked');
    expect(s.exceptions).toEqual(['dispute']);
    // The dispute goes to the complaints worklist; the visit that raised it is completed.
    const rows = await database.db.selectFrom('task').select(['kind', 'status']).where('case_id', '=', track.caseId).orderBy('opened_on').orderBy('kind').execute();
    expect(rows.map((r) => [r.kind, r.status])).toEqual([['call', 'expired'], ['dispute', 'open'], ['visit', 'open']]);
    const disputeTask = s.tasks.find((t) => t.kind === 'dispute')!;
    expect(disputeTask).toMatchObject({ status: 'open', expiresOn: addDays(day0, 38) });

    // Resolved: the track resumes and the dispute leaves the worklist.
    await harness.tracks.update(track.workflowId, resolveExceptionUpdate, [{ kind: 'dispute', actor: 'operator:test' }]);
    await harness.clock.settle();
    s = await status(track.workflowId);
    expect(s.stage).toBe('reminder');
    expect(s.tasks.find((t) => t.kind === 'dispute')).toMatchObject({ status: 'cancelled' });
  });

  it('sends a pre-notification on the confirmed segment\'s channel before the due date', async () => {
    const day0 = await harness.today();
    const policy = policyWith({}, { segments: { slow_payer: { ...policyWith({}).defaultSegment, prenotice: { daysBeforeDue: 5, channel: 'sms' } } } });
    const track = await openTrack(policy, [rentClaim('N-1', '700.00', addDays(day0, 10))], { segment: 'slow_payer' });
    // Proposed, not confirmed: the default segment's policy (no pre-notification) applies.
    await advanceTo(addDays(day0, 5));
    expect((await status(track.workflowId)).letters).toEqual([]);
    await harness.tracks.update(track.workflowId, confirmSegmentUpdate, [{ segment: 'slow_payer', actor: 'operator:test' }]);
    await harness.clock.settle();
    const s = await status(track.workflowId);
    expect(s.stage).toBe('prenotice');
    expect(s.letters).toMatchObject([{ kind: 'prenotice', channel: 'sms', date: addDays(day0, 5) }]);
    const [sms] = await lettersOf(track.caseId);
    expect(sms!.body.split('\n').length).toBeLessThanOrEqual(4);
  });
});

describe('payment arrangements', () => {
  // This month's rent is the arrears in these tests; the rule that it must be paid first has a test of its own.
  const arrangementPolicy = policyWith({}, { arrangement: { ...policyWith({}).arrangement, currentRentMustBePaid: false } });

  async function propose(workflowId: string, instalments: { dueDate: string; amount: string }[]) {
    return harness.tracks.update(workflowId, proposeArrangementUpdate, [{ instalments, actor: 'operator:test' }]);
  }

  it('refuses an arrangement that breaks a rule with the rule as a 422', async () => {
    const day0 = await harness.today();
    // Under the default rules this month's rent (due today) must be paid before arrears are arranged.
    const strict = await openTrack(policyWith({}), [rentClaim('A-00', '500.00', addDays(day0, -40)), rentClaim('A-01', '500.00', day0)]);
    const owed = (await status(strict.workflowId)).balance.outstanding;
    const unpaidRent = await propose(strict.workflowId, [{ dueDate: addDays(day0, 5), amount: owed }]).catch((error: unknown) => error);
    expect(unpaidRent).toMatchObject({ status: 422, code: 'current_rent_unpaid' });
    const track = await openTrack(arrangementPolicy, [rentClaim('A-0', '1200.00', addDays(day0, -1))]);
    const outstanding = (await status(track.workflowId)).balance.outstanding;
    const tooLong = [{ dueDate: addDays(day0, 10), amount: '100.00' }, { dueDate: addDays(day0, 400), amount: formatMoney(money(outstanding).minus(100)) }];
    const refusal = await propose(track.workflowId, tooLong).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(HttpError);
    expect(refusal).toMatchObject({ status: 422, code: 'arrangement_too_long' });
    const s = await status(track.workflowId);
    expect(s.arrangement).toBeNull();
    expect(s.stage).toBe('reminder');
  });

  it('resumes the track where it stood after a breach, with the interest of the period owed again', async () => {
    const day0 = await harness.today();
    const track = await openTrack(arrangementPolicy, [rentClaim('A-1', '1000.00', addDays(day0, -1))]);
    await advanceTo(addDays(day0, 6));
    expect((await status(track.workflowId)).letters.map((l) => l.kind)).toEqual(['reminder']);
    const outstanding = (await status(track.workflowId)).balance.outstanding;
    const first = { dueDate: addDays(day0, 20), amount: '400.00' };
    const second = { dueDate: addDays(day0, 50), amount: formatMoney(money(outstanding).minus(400)) };
    const accepted = await propose(track.workflowId, [first, second]);
    expect(accepted).toMatchObject({ accepted: true, total: outstanding, firstDueDate: first.dueDate, lastDueDate: second.dueDate });
    await harness.clock.settle();
    let s = await status(track.workflowId);
    expect(s.stage).toBe('arrangement');
    expect(s.arrangement).toMatchObject({ status: 'active', total: outstanding });
    expect((await lettersOf(track.caseId)).map((l) => l.kind)).toContain('arrangement_confirmation');

    await advanceTo(first.dueDate);
    await harness.tracks.deliverPayment(track.workflowId, { transactionId: `tx-${track.caseId}-1`, amount: first.amount, bookedOn: first.dueDate });
    // Kept so far: no interest while the arrangement runs.
    expect((await status(track.workflowId)).balance.outstanding).toBe(second.amount);

    // The second instalment stays unpaid: a breach only after the grace days (5).
    await advanceTo(addDays(second.dueDate, 5));
    expect((await status(track.workflowId)).stage).toBe('arrangement');
    await advanceTo(addDays(second.dueDate, 6));
    s = await status(track.workflowId);
    expect(s.arrangement).toMatchObject({ status: 'breached' });
    // Back in the reminder stage where it stood; the 14-day letter follows (its day has passed).
    expect(['reminder', 'wik_letter']).toContain(s.stage);
    expect(s.letters.at(-1)!.kind).toBe('wik');
    expect(money(s.balance.outstanding).gt(second.amount)).toBe(true);
    const letters = await lettersOf(track.caseId);
    expect(letters.map((l) => l.kind).filter((k) => k === 'instalment_reminder')).toHaveLength(2);
    // The tenant is told the arrangement lapsed: which instalment, by how much, on which day, and what is open now.
    const breach = letters.filter((l) => l.kind === 'breach_notice');
    expect(breach).toHaveLength(1);
    expect(breach[0]).toMatchObject({ posted_on: addDays(second.dueDate, 6), template: 'breach_notice@1' });
    expect(breach[0]!.facts).toMatchObject({ outstanding: second.amount, instalment: { number: 2, count: 2, dueDate: second.dueDate, amount: second.amount }, breach: { shortfall: second.amount, on: addDays(second.dueDate, 6) } });
    await recordHistory(harness.client, arrangementMonitorWorkflowId(track.workflowId, accepted.arrangementId), 'arrangement-monitor-breached');
  });

  it('completes across continue-as-new and closes the track as paid', async () => {
    const day0 = await harness.today();
    const track = await openTrack(arrangementPolicy, [rentClaim('A-2', '900.00', addDays(day0, -1))], { continueAsNewAfterEvents: 40 });
    const outstanding = (await status(track.workflowId)).balance.outstanding;
    const instalments = [
      { dueDate: addDays(day0, 10), amount: '300.00' },
      { dueDate: addDays(day0, 40), amount: '300.00' },
      { dueDate: addDays(day0, 70), amount: formatMoney(money(outstanding).minus(600)) },
    ];
    await propose(track.workflowId, instalments);
    await harness.clock.settle();
    for (const [i, instalment] of instalments.entries()) {
      await advanceTo(instalment.dueDate);
      await harness.tracks.deliverPayment(track.workflowId, { transactionId: `tx-${track.caseId}-${i}`, amount: instalment.amount, bookedOn: instalment.dueDate });
      if (i === 0) expect((await status(track.workflowId)).arrangement).toMatchObject({ status: 'active', paid: '300.00' });
    }
    const result = await harness.client.workflow.getHandle(track.workflowId).result();
    expect(result).toMatchObject({ stage: 'closed', closedReason: 'paid' });
    expect(result.arrangement).toMatchObject({ status: 'completed' });
    expect(result.run).toBeGreaterThan(1);
    await recordHistory(harness.client, track.workflowId, 'track-arrangement-completed-last-run');
  });
});

describe('segment-wide holds', () => {
  it('pauses the track across a deadline and extends its terms by the days held', async () => {
    const day0 = await harness.today();
    const track = await openTrack(policyWith({}), [rentClaim('H-1', '650.00', addDays(day0, -1))]);
    await advanceTo(addDays(day0, 6));
    const handle = harness.client.workflow.getHandle(track.workflowId);
    await handle.signal(holdSignal, { action: 'start', holdId: 'hold-test-1', from: addDays(day0, 6) });
    await harness.clock.settle();
    expect((await status(track.workflowId)).nextDeadline).toEqual(null);

    // The 14-day letter was due on day 19; the hold lasts 10 days.
    await advanceTo(addDays(day0, 16));
    expect((await status(track.workflowId)).letters.map((l) => l.kind)).toEqual(['reminder']);
    await handle.signal(holdSignal, { action: 'release', holdId: 'hold-test-1', on: addDays(day0, 16) });
    await harness.clock.settle();
    expect((await status(track.workflowId)).nextDeadline).toEqual({ kind: 'wik_letter', date: addDays(day0, 29) });
    await advanceTo(addDays(day0, 28));
    expect((await status(track.workflowId)).letters.map((l) => l.kind)).toEqual(['reminder']);
    await advanceTo(addDays(day0, 29));
    expect((await status(track.workflowId)).letters.map((l) => l.kind)).toEqual(['reminder', 'wik']);
  });
});
