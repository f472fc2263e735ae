import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deliveryOffsetOn } from '../../shared/calendar/presumed-delivery.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { collectionCosts } from '../../shared/legal/collection-costs.js';
import { wikLetterTerm } from '../../shared/legal/wik-letter-term.js';
import { isValidBetalingskenmerk } from '../../shared/bank/betalingskenmerk.js';
import { registerPaymentUpdate } from '../../shared/track/messages.js';
import { openCase } from '../../services/case-intake/open-case.js';
import { startServices, type RunningServices } from '../support/services.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping.js';
import { caseRequest, ensureTestCorporation, rentClaim, seedCase } from '../support/tracks.js';

let database: TestDatabase;
let services: RunningServices;
let harness: TimeSkippingHarness;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'));
  await ensureTestCorporation(database.db);
  services = await startServices(database.db);
  harness = await startTimeSkipping(database.db, services);
});

afterAll(async () => {
  await harness?.close();
  await services?.close();
  await database?.drop();
});

async function openTrack(claims: ReturnType<typeof rentClaim>[]) {
  const request = caseRequest({ claims });
  const ref = await seedCase(database.db, request);
  const { opened } = await harness.tracks.openOrExtend({ ...ref, corporationId: request.corporationId }, request.segment, claims);
  await harness.clock.settle();
  return { ...ref, opened };
}

async function lettersOf(caseId: string) {
  return database.db.selectFrom('letter').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
}

describe('collection track on the time-skipping server', () => {
  it('reminds, sends the WIK letter, waits out its legal term and awaits hand-over', async () => {
    const today = await harness.today();
    const claim = rentClaim('R-1', '812.50', addDays(today, -10));
    const track = await openTrack([claim]);
    expect(track.opened).toBe(true);

    // In default for 9 days already: the first reminder goes out at once.
    let status = await harness.tracks.status(track.workflowId);
    expect(status.stage).toBe('reminder');
    expect(status.letters.map((l) => l.kind)).toEqual(['reminder']);
    expect((await lettersOf(track.caseId))[0]?.body).toContain('schuldhulpverlening');

    // 14 days later the WIK letter, with the costs over the principal stated exactly.
    await harness.clock.advance(14);
    status = await harness.tracks.status(track.workflowId);
    expect(status.stage).toBe('wik_letter');
    const wik = status.letters.find((l) => l.kind === 'wik')!;
    const expectedTerm = wikLetterTerm({ posted: wik.date, deliveryDays: deliveryOffsetOn(wik.date) });
    expect(wik.date).toBe(addDays(today, 14));
    expect(wik.deadline).toBe(expectedTerm.deadline);
    expect(wik.collectionCosts).toBe(collectionCosts({ principal: '812.50', vatSurcharge: false }).collectionCosts);
    expect(status.nextDeadline).toEqual({ kind: 'wik_term', date: expectedTerm.deadline });
    const wikRow = (await lettersOf(track.caseId)).find((l) => l.kind === 'wik')!;
    expect(wikRow.body).toContain('na de dag van ontvangst');
    expect(wikRow.body).toContain('€ 121,88');
    expect(status.balance.collectionCosts).toBe('0.00');

    // The last day of the term: still no costs.
    const { today: onDeadline } = await harness.clock.advance(daysUntil(await harness.today(), expectedTerm.deadline));
    expect(onDeadline).toBe(expectedTerm.deadline);
    status = await harness.tracks.status(track.workflowId);
    expect(status.stage).toBe('wik_letter');

    // The day after: costs charged, track waits for hand-over.
    await harness.clock.advance(1);
    status = await harness.tracks.status(track.workflowId);
    expect(status.stage).toBe('awaiting_handover');
    expect(status.balance.collectionCosts).toBe('121.88');
    expect(Number(status.balance.outstanding)).toBeGreaterThan(812.5 + 121.88);
  });

  it('closes as paid when a payment clears the balance, at any stage, and ignores a repeated transaction', async () => {
    const today = await harness.today();
    const track = await openTrack([rentClaim('R-2', '500.00', addDays(today, -8))]);
    const status = await harness.tracks.status(track.workflowId);
    expect(status.stage).toBe('reminder');

    const first = await harness.tracks.deliverPayment(track.workflowId, { transactionId: `tx-${track.caseId}-1`, amount: '200.00', bookedOn: today });
    expect(first).toMatchObject({ duplicate: false, closed: false });
    // A repeat answers with the state as it is now (unchanged since) and says it was a repeat.
    const repeated = await harness.tracks.deliverPayment(track.workflowId, { transactionId: `tx-${track.caseId}-1`, amount: '200.00', bookedOn: today });
    expect(repeated).toEqual({ ...first, duplicate: true });
    // ... and the track itself knows the transaction, whatever the update id (as after continue-as-new).
    const resent = await harness.client.workflow
      .getHandle(track.workflowId)
      .executeUpdate(registerPaymentUpdate, { args: [{ transactionId: `tx-${track.caseId}-1`, amount: '200.00', bookedOn: today }], updateId: 'another-id' });
    expect(resent).toMatchObject({ duplicate: true, outstanding: first.outstanding });
    expect((await harness.tracks.status(track.workflowId)).payments).toHaveLength(1);

    const rest = (await harness.tracks.status(track.workflowId)).balance.outstanding;
    const last = await harness.tracks.deliverPayment(track.workflowId, { transactionId: `tx-${track.caseId}-2`, amount: rest, bookedOn: today });
    expect(last).toMatchObject({ closed: true, outstanding: '0.00' });
    const result = await harness.client.workflow.getHandle(track.workflowId).result();
    expect(result).toMatchObject({ stage: 'closed', closedReason: 'paid' });
  });

  it('charges no costs when the debt is paid on the last day of the WIK term', async () => {
    const today = await harness.today();
    const track = await openTrack([rentClaim('R-3', '300.00', addDays(today, -6))]);
    await harness.clock.advance(14);
    const status = await harness.tracks.status(track.workflowId);
    const wik = status.letters.find((l) => l.kind === 'wik')!;
    await harness.clock.advance(daysUntil(await harness.today(), wik.deadline!));
    const due = (await harness.tracks.status(track.workflowId)).balance.outstanding;
    const paid = await harness.tracks.deliverPayment(track.workflowId, { transactionId: `tx-${track.caseId}`, amount: due, bookedOn: wik.deadline! });
    expect(paid.closed).toBe(true);
    const result = await harness.client.workflow.getHandle(track.workflowId).result();
    expect(result.balance.collectionCosts).toBe('0.00');
  });

  it('charges the costs over what was not paid in time after a partial payment', async () => {
    const today = await harness.today();
    const track = await openTrack([rentClaim('R-4', '3000.00', addDays(today, -6))]);
    await harness.clock.advance(14);
    const wik = (await harness.tracks.status(track.workflowId)).letters.find((l) => l.kind === 'wik')!;
    expect(wik.collectionCosts).toBe('425.00');
    await harness.tracks.deliverPayment(track.workflowId, { transactionId: `tx-${track.caseId}`, amount: '2000.00', bookedOn: await harness.today() });
    await harness.clock.advance(daysUntil(await harness.today(), wik.deadline!) + 1);
    const status = await harness.tracks.status(track.workflowId);
    expect(status.stage).toBe('awaiting_handover');
    // Interest goes first (art. 6:44), so slightly more than 1000.00 principal stayed unpaid.
    const unpaidPrincipal = Number(status.claims[0]!.open);
    expect(unpaidPrincipal).toBeGreaterThan(1000);
    expect(status.balance.collectionCosts).toBe(collectionCosts({ principal: status.claims[0]!.open, vatSurcharge: false }).collectionCosts);
  });

  it('adds claims from a repeated start and keeps the one track', async () => {
    const today = await harness.today();
    const request = caseRequest({ claims: [rentClaim('R-5', '700.00', addDays(today, -3))] });
    const ref = { ...(await seedCase(database.db, request)), corporationId: request.corporationId };
    expect((await harness.tracks.openOrExtend(ref, 'unknown', request.claims)).opened).toBe(true);
    const again = await harness.tracks.openOrExtend(ref, 'unknown', [...request.claims, rentClaim('R-6', '700.00', addDays(today, 20))]);
    expect(again.opened).toBe(false);
    const status = await harness.tracks.status(ref.workflowId);
    expect(status.claims.map((c) => c.invoiceRef)).toEqual(['R-5', 'R-6']);
    expect(status.balance.principal).toBe('1400.00');
  });

  it('opens with the payment reference the intake issued with the case, without asking the bank service; a track started without one asks', async () => {
    const today = await harness.today();
    const scheduledActivities = async (workflowId: string) =>
      ((await harness.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));

    const request = caseRequest({ claims: [rentClaim('R-7', '640.00', addDays(today, -10))] });
    const opened = await openCase(database.db, harness.tracks, request);
    await harness.clock.settle();
    const issued = await database.db.selectFrom('payment_reference').select('reference').where('case_id', '=', opened.caseId).executeTakeFirstOrThrow();
    expect(isValidBetalingskenmerk(issued.reference)).toBe(true);
    const activities = await scheduledActivities(opened.workflowId);
    expect(activities).toContain('loadTrackSetup');
    expect(activities).not.toContain('ensurePaymentReference');
    // The first reminder goes out at once and names the reference issued at intake.
    expect((await lettersOf(opened.caseId))[0]?.body).toContain(`betalingskenmerk ${issued.reference}`);

    const seeded = await openTrack([rentClaim('R-8', '640.00', addDays(today, -10))]);
    expect(await scheduledActivities(seeded.workflowId)).toContain('ensurePaymentReference');
    expect(await database.db.selectFrom('payment_reference').select('reference').where('case_id', '=', seeded.caseId).executeTakeFirst()).toBeDefined();
  });
});

function daysUntil(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
