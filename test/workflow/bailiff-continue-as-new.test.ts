import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays, compareIsoDates, daysBetween } from '../../shared/calendar/iso-date.js';
import { deliverBailiffEvent } from '../../services/api/bailiff-event-delivery.js';
import { bailiffControlSignal, bailiffEventUpdate, bailiffPhaseWorkflowId, type BailiffEvent, type BailiffPhaseInput } from '../../shared/track/bailiff-messages.js';
import { approveDecisionUpdate } from '../../shared/track/messages.js';
import type { TrackStatus } from '../../shared/track/track-status.js';
import { eventually } from '../support/eventually.js';
import { recordHistory } from '../support/histories.js';
import { policyWith } from '../support/policies.js';
import { startServices, type RunningServices } from '../support/services.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping.js';
import { caseRequest, ensureTestCorporation, rentClaim, seedCase } from '../support/tracks.js';

let database: TestDatabase;
let services: RunningServices;
let harness: TimeSkippingHarness;

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

const corporationId = 'handover-corp';
const officeId = 'gdw-handover';
const status = (workflowId: string) => harness.tracks.status(workflowId);

/** Moves the clock a day at a time until the track's status answers the predicate. */
async function advanceUntil(workflowId: string, predicate: (s: TrackStatus) => boolean, maxDays: number): Promise<TrackStatus> {
  for (let day = 0; ; day++) {
    const s = await status(workflowId);
    if (predicate(s)) return s;
    if (day >= maxDays) throw new Error(`not reached after ${maxDays} days: stage ${s.stage}, run ${s.run}`);
    await harness.clock.advance(1);
  }
}

async function advanceTo(date: string) {
  const days = daysBetween(await harness.today(), date);
  if (days > 0) await harness.clock.advance(days);
  expect(await harness.today()).toBe(date);
}

const instructionsOf = (caseId: string) =>
  database.db.selectFrom('bailiff_instruction').select(['idempotency_key', 'instruction', 'detail']).where('case_id', '=', caseId).orderBy('created_at').execute();

/** The bailiff phase's runs still open under its id (the server allows one; each describes its parent). */
async function runningPhases(childId: string): Promise<{ runId: string; parentRunId: string | undefined }[]> {
  const description = await harness.client.workflow.getHandle(childId).describe();
  return description.status.name === 'RUNNING' ? [{ runId: description.runId, parentRunId: description.parentExecution?.runId ?? undefined }] : [];
}

describe('the bailiff phase across continue-as-new of its track', () => {
  it('keeps exactly one bailiff phase, its terms and instructions, applies later events, and stops it once when the balance reaches zero', async () => {
    await ensureTestCorporation(database.db, { corporationId, policy: policyWith({ handoverNeedsApproval: false }), bailiffOfficeId: officeId });
    const day0 = await harness.today();
    const claims = [rentClaim('B-1', '812.50', addDays(day0, -40))];
    const request = caseRequest({ corporationId, claims });
    const ref = await seedCase(database.db, request);
    // Small enough that the track continues as new a few times in the bailiff phase.
    await harness.tracks.openOrExtend({ ...ref, corporationId }, request.segment, claims, { continueAsNewAfterEvents: 40 });
    await harness.clock.settle();
    const track = { ...ref, corporationId };
    const childId = bailiffPhaseWorkflowId(track.workflowId);
    const trackRunId = async () => (await harness.client.workflow.getHandle(track.workflowId).describe()).runId;

    let s = await advanceUntil(track.workflowId, (t) => t.stage === 'summons_first', 60);
    const handedOverInRun = s.run;
    const first = (await instructionsOf(track.caseId)).find((i) => i.instruction === 'first_summons')!;
    const firstTermExpiresAfter = addDays((first.detail as { termEndsOn: string }).termEndsOn, 1);

    // Part payments during the first summons term grow the track's history until it continues as new.
    for (let i = 0; s.run === handedOverInRun; i++) {
      if (i >= 10) throw new Error('the track did not continue as new');
      await harness.tracks.deliverPayment(track.workflowId, { transactionId: `part-${track.caseId}-${i}`, amount: '1.00', bookedOn: await harness.today() });
      await harness.clock.settle();
      s = await status(track.workflowId);
    }
    expect(s.stage).toBe('summons_first');
    expect(compareIsoDates(await harness.today(), firstTermExpiresAfter)).toBeLessThan(0);
    // One bailiff phase, and it is the child of the track's current run (not left behind by an earlier one).
    expect(await runningPhases(childId)).toEqual([{ runId: expect.any(String), parentRunId: await trackRunId() }]);

    // The first term runs on from its own dates: the second summons goes out the day it expires, once.
    await advanceTo(addDays(firstTermExpiresAfter, -1));
    expect((await status(track.workflowId)).stage).toBe('summons_first');
    await advanceTo(firstTermExpiresAfter);
    s = await status(track.workflowId);
    expect(s.stage).toBe('summons_second');
    expect(s.timeline.filter((t) => /first summons posted/.test(t.event))).toHaveLength(1);
    expect(s.timeline.filter((t) => t.event.startsWith(`second summons posted on ${firstTermExpiresAfter}`))).toHaveLength(1);
    expect(await runningPhases(childId)).toEqual([{ runId: expect.any(String), parentRunId: await trackRunId() }]);

    // The office reports to the phase's id after the continue-as-new: its events are applied.
    const today = await harness.today();
    const report = (event: BailiffEvent) => harness.tracks.update(childId, bailiffEventUpdate, [event], `bailiff-${event.eventId}`);
    expect(await report({ eventId: 'can-1', type: 'summons_served', date: today })).toEqual({ duplicate: false, stage: 'court' });
    await harness.clock.settle();
    expect(await report({ eventId: 'can-2', type: 'judgment', date: today })).toEqual({ duplicate: false, stage: 'judgment' });
    await harness.clock.settle();
    s = await status(track.workflowId);
    expect(s.stage).toBe('judgment');
    expect(s.costCharges.filter((c) => c.kind === 'bailiff_fee')).toHaveLength(2);
    const eviction = s.proposals.find((p) => p.decision === 'eviction' && p.status === 'pending')!;
    await harness.tracks.update(track.workflowId, approveDecisionUpdate, [{ decision: 'eviction', proposalId: eviction.proposalId, actor: 'approver:test' }]);
    await harness.clock.settle();
    const runBeforeEviction = (await status(track.workflowId)).run;
    const evictionDate = addDays(today, 14);
    expect(await report({ eventId: 'can-3', type: 'eviction_scheduled', date: today, evictionDate })).toEqual({ duplicate: false, stage: 'eviction_announced' });
    // A repeated report is still known to the phase after its track moved on.
    expect(await report({ eventId: 'can-1', type: 'summons_served', date: today })).toEqual({ duplicate: true, stage: 'eviction_announced' });
    await advanceTo(addDays(today, 2));
    s = await status(track.workflowId);
    expect(s.stage).toBe('eviction_announced');
    expect(s.bailiff).toMatchObject({ evictionDate, ended: false });
    // The handed-over phase runs were several; still one phase, the current run's child.
    expect(s.run).toBeGreaterThan(handedOverInRun + 1);
    expect(s.run).toBeGreaterThanOrEqual(runBeforeEviction);
    expect(await runningPhases(childId)).toEqual([{ runId: expect.any(String), parentRunId: await trackRunId() }]);

    // Paid in full: the track closes and the phase tells the office to stop and cancels the eviction.
    const paid = await harness.tracks.deliverPayment(track.workflowId, { transactionId: `full-${track.caseId}`, amount: s.balance.outstanding, bookedOn: await harness.today() });
    expect(paid.closed).toBe(true);
    const result = await harness.client.workflow.getHandle(track.workflowId).result();
    expect(result).toMatchObject({ stage: 'closed', closedReason: 'paid' });
    expect(await harness.client.workflow.getHandle(childId).result()).toEqual({ outcome: 'stopped' });
    await harness.clock.settle();

    const instructions = await instructionsOf(track.caseId);
    expect(instructions.map((i) => i.instruction)).toEqual(['handover', 'first_summons', 'second_summons', 'stop']);
    expect(instructions.at(-1)!.detail).toMatchObject({ reason: 'paid', cancelEviction: evictionDate });
    const signals = await database.db.selectFrom('municipality_signal').select(['kind']).where('case_id', '=', track.caseId).orderBy('created_at').execute();
    expect(signals.map((m) => m.kind)).toEqual(['eviction_date', 'eviction_cancelled']);
    // One file to the office per instruction.
    const dropped = (await readdir(join(services.outboxDir, 'bailiff', officeId))).filter((f) => decodeURIComponent(f).startsWith(`${childId}/`));
    expect(dropped.sort()).toEqual(instructions.map((i) => `${encodeURIComponent(i.idempotency_key)}.json`).sort());
    // The last runs: the track starting its handed-over phase again, the phase resuming and stopping.
    await recordHistory(harness.client, track.workflowId, 'track-bailiff-resumed-after-continue-as-new');
    await recordHistory(harness.client, childId, 'bailiff-phase-resumed-then-stopped');
  });

  it('delivers an office event sent while the phase is between two runs to the next run, which goes on from the carried state', async () => {
    await ensureTestCorporation(database.db, { corporationId, policy: policyWith({ handoverNeedsApproval: false }), bailiffOfficeId: officeId });
    const today = await harness.today();
    const ref = await seedCase(database.db, caseRequest({ corporationId, claims: [rentClaim('G-1', '500.00', addDays(today, -60))] }));
    const phaseId = bailiffPhaseWorkflowId(ref.workflowId);
    // The phase on its own: its track is not running, so its reports go nowhere.
    const input: BailiffPhaseInput = { caseId: ref.caseId, corporationId, trackWorkflowId: ref.workflowId, officeId, paymentOnly: false };
    const first = await harness.client.workflow.start('bailiffPhase', { workflowId: phaseId, taskQueue: harness.taskQueue, args: [input] });
    const sent = await eventually(() => instructionsOf(ref.caseId), (rows) => rows.length === 2);
    expect(sent.map((i) => i.instruction)).toEqual(['handover', 'first_summons']);

    await first.signal(bailiffControlSignal, { kind: 'handover' });
    const handedOver = await first.result();
    expect(handedOver).toMatchObject({ outcome: 'handed_over', state: { stage: 'summons_first', officeHandedOver: true, summons: [{ step: 'first_summons', postedOn: today }] } });
    if (handedOver.outcome !== 'handed_over') throw new Error('not handed over');

    // The office reports in the gap; the next run starts a moment later under the same id.
    const delivery = deliverBailiffEvent(harness.tracks, phaseId, { eventId: 'gap-1', type: 'summons_served', date: today });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const next = await harness.client.workflow.start('bailiffPhase', { workflowId: phaseId, taskQueue: harness.taskQueue, args: [{ ...input, resume: handedOver.state }] });
    expect(await delivery).toEqual({ duplicate: false, stage: 'court' });

    await next.signal(bailiffControlSignal, { kind: 'stop', reason: 'paid' });
    expect(await next.result()).toEqual({ outcome: 'stopped' });
    // Nothing of the first run was sent again: no second hand-over, no new first summons.
    expect((await instructionsOf(ref.caseId)).map((i) => i.instruction)).toEqual(['handover', 'first_summons', 'stop']);
  });

  it('stops at once when it was told to stop between two runs, without telling the municipality of the eviction again', async () => {
    await ensureTestCorporation(database.db, { corporationId, policy: policyWith({ handoverNeedsApproval: false }), bailiffOfficeId: officeId });
    const today = await harness.today();
    const ref = await seedCase(database.db, caseRequest({ corporationId, claims: [rentClaim('S-1', '500.00', addDays(today, -90))] }));
    const phaseId = bailiffPhaseWorkflowId(ref.workflowId);
    const evictionDate = addDays(today, 10);
    // What a run hands over after the municipality heard of the eviction; the track's payment then closed it.
    const state = {
      stage: 'eviction_announced' as const,
      officeHandedOver: true,
      seenEventIds: ['e-1', 'e-2', 'e-3'],
      judgmentOn: addDays(today, -4),
      eviction: { announcedOn: addDays(today, -4), date: evictionDate },
      evictionApproved: true,
      summons: [],
      municipalityToldOf: evictionDate,
      ended: null,
      stop: 'paid' as const,
    };
    const input: BailiffPhaseInput = { caseId: ref.caseId, corporationId, trackWorkflowId: ref.workflowId, officeId, paymentOnly: false, resume: state };
    const handle = await harness.client.workflow.start('bailiffPhase', { workflowId: phaseId, taskQueue: harness.taskQueue, args: [input] });
    expect(await handle.result()).toEqual({ outcome: 'stopped' });
    const instructions = await instructionsOf(ref.caseId);
    expect(instructions.map((i) => i.instruction)).toEqual(['stop']);
    expect(instructions[0]!.detail).toMatchObject({ reason: 'paid', cancelEviction: evictionDate });
    const signals = await database.db.selectFrom('municipality_signal').select(['kind']).where('case_id', '=', ref.caseId).execute();
    expect(signals.map((m) => m.kind)).toEqual(['eviction_cancelled']);
  });
});
