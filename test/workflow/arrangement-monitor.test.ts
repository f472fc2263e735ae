import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { TrackOpener } from '../../services/track-client/track-opener.js';
import { serviceCredentialHeaders } from '../../activities/service-client.js';
import { locateTemporalBinary, sdkExecutable, temporalTestServer } from '../../infra/temporal/binaries.js';
import { SimulationClock } from '../../services/api/simulation-clock.js';
import { createWorker } from '../../worker/create-worker.js';
import { failureConverterPath } from '../../shared/codec/data-converter.js';
import { testDataConverter, testPayloadKeys } from '../support/payload-keys.js';
import { arrangementControlSignal, arrangementMonitorWorkflowId, type ArrangementControl, type Instalment } from '../../shared/arrangement/arrangement-messages.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays, daysBetween } from '../../shared/calendar/iso-date.js';
import { startServices, type RunningServices, workerServiceOptions } from '../support/services.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { caseRequest, ensureTestCorporation, rentClaim, seedCase } from '../support/tracks.js';
import { arrangementProgressQuery, type ArrangementParentInput, type ArrangementParentResult } from './fixtures/arrangement-parent.js';

/**
 * The arrangement monitor on the time-skipping server, with the real letter service and Postgres.
 * A stand-in parent (test/workflow/fixtures) plays the track: it starts the monitor as a child and
 * records the progress signals. Time moves a day at a time, as in the simulation.
 */

let database: TestDatabase;
let services: RunningServices;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let client: Client;
let clock: SimulationClock;
let paymentReferenceOf: (caseId: string) => Promise<string>;
const taskQueue = `arrangement-monitor-${process.pid}`;
/**
 * The workflows the clock waits for: the current test's parent, and through it the monitor (a
 * child its parent counts as running but that is not there yet is busy, not quiet).
 */
let watched: string[] = [];
let runs = 0;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'));
  await ensureTestCorporation(database.db);
  services = await startServices(database.db);
  const executable = sdkExecutable(locateTemporalBinary(temporalTestServer));
  for (let attempt = 1; ; attempt++) {
    try {
      env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable }, client: { dataConverter: testDataConverter } });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url)),
    failureConverterPath,
    logger: { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} } as never,
  });
  const deps = {
    db: database.db,
    ...workerServiceOptions(services),
  };
  worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, workflowBundle, ...deps, payloadKeys: testPayloadKeys });
  running = worker.run();
  // A client that never unlocks time skipping: only the clock moves time.
  client = new Client({ connection: env.connection, dataConverter: testDataConverter });
  clock = new SimulationClock(env.connection, client, async () => watched);
  paymentReferenceOf = createActivities({ ...deps, trackOpener: new TrackOpener(client, taskQueue) }).ensurePaymentReference;
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await services?.close();
  await database?.drop();
});

const today = async () => amsterdamDate(await env.currentTimeMs());

async function advanceTo(date: string) {
  const days = daysBetween(await today(), date);
  if (days > 0) await clock.advance(days);
  expect(await today()).toBe(date);
}

/** A case with a debtor and a payment reference, as the letter service needs them. */
async function newCase() {
  const request = caseRequest({ claims: [rentClaim('ARR-1', '800.00', addDays(await today(), -40))] });
  const { caseId } = await seedCase(database.db, request);
  const paymentReference = await paymentReferenceOf(caseId);
  return { caseId, paymentReference };
}

async function startArrangement(instalments: Instalment[], options: { paidSoFar?: string; graceDays?: number; reminderDaysBefore?: number } = {}) {
  const { caseId, paymentReference } = await newCase();
  const parentId = `arrangement-parent-${process.pid}-${++runs}`;
  const arrangementId = `arr-${runs}`;
  const monitorId = arrangementMonitorWorkflowId(parentId, arrangementId);
  const input: ArrangementParentInput = {
    caseId,
    arrangementId,
    instalments,
    graceDays: options.graceDays ?? 5,
    reminderDaysBefore: options.reminderDaysBefore ?? 3,
    paidSoFar: options.paidSoFar ?? '0.00',
  };
  watched = [parentId];
  const parent = await client.workflow.start('arrangementParent', { taskQueue, workflowId: parentId, args: [input] });
  await clock.settle();
  const control = async (signal: ArrangementControl) => {
    await client.workflow.getHandle(monitorId).signal(arrangementControlSignal, signal);
    await clock.settle();
  };
  return {
    caseId,
    paymentReference,
    monitorId,
    progress: () => parent.query(arrangementProgressQuery),
    control,
    pay: (amount: string) => control({ kind: 'paid_so_far', amount }),
    cancel: (reason: string) => control({ kind: 'cancel', reason }),
    result: () => parent.result() as Promise<ArrangementParentResult>,
    running: async () => (await client.workflow.getHandle(monitorId).describe()).status.name === 'RUNNING',
    reminders: () =>
      database.db.selectFrom('letter').selectAll().where('case_id', '=', caseId).where('kind', '=', 'instalment_reminder').orderBy('posted_on').execute(),
  };
}

describe('arrangement monitor on the time-skipping server', () => {
  it('reminds three days before each instalment and completes as soon as the schedule is paid', async () => {
    const day0 = await today();
    const instalments = [
      { dueDate: addDays(day0, 10), amount: '300.00' },
      { dueDate: addDays(day0, 40), amount: '300.00' },
      { dueDate: addDays(day0, 70), amount: '212.50' },
    ];
    const arrangement = await startArrangement(instalments);
    expect(await arrangement.reminders()).toEqual([]);

    await advanceTo(addDays(day0, 6));
    expect(await arrangement.reminders()).toEqual([]);
    await advanceTo(addDays(day0, 7));
    const [first] = await arrangement.reminders();
    expect(first).toMatchObject({ posted_on: addDays(day0, 7), channel: 'post', template: 'instalment_reminder@2', idempotency_key: `${arrangement.monitorId}/instalment/0` });
    expect(first!.body).toContain('termijn 1 van 3 van uw betalingsregeling: € 300,00');
    expect(first!.body).toContain(`betalingskenmerk ${arrangement.paymentReference}`);
    expect(first!.body).toContain('schuldhulpverlening');
    expect(existsSync(join(services.carriers.mailhouseDir, first!.posted_on, `${first!.letter_id}.pdf`))).toBe(true);
    expect(await arrangement.progress()).toEqual([{ arrangementId: 'arr-1', kind: 'reminder_sent', instalment: 0, letterId: first!.letter_id, on: addDays(day0, 7) }]);

    await advanceTo(instalments[0]!.dueDate);
    await arrangement.pay('300.00');
    await advanceTo(addDays(day0, 37));
    await arrangement.pay('600.00');
    await advanceTo(addDays(day0, 67));
    expect((await arrangement.reminders()).map((l) => l.posted_on)).toEqual([addDays(day0, 7), addDays(day0, 37), addDays(day0, 67)]);
    expect(await arrangement.running()).toBe(true);

    // The last payment covers the total: completed at once, not at the last instalment's check.
    await arrangement.pay('812.50');
    const result = await arrangement.result();
    expect(result.outcome).toBe('completed');
    expect(result.progress.map((p) => p.kind)).toEqual(['reminder_sent', 'reminder_sent', 'reminder_sent', 'completed']);
    expect(result.progress.at(-1)).toEqual({ arrangementId: 'arr-1', kind: 'completed', on: addDays(day0, 67) });
  });

  it('keeps the arrangement after a payment on the last grace day, and finds a missing second instalment the day after its grace', async () => {
    const day0 = await today();
    const instalments = [
      { dueDate: addDays(day0, 5), amount: '100.00' },
      { dueDate: addDays(day0, 20), amount: '100.00' },
      { dueDate: addDays(day0, 35), amount: '100.00' },
    ];
    const arrangement = await startArrangement(instalments);

    // The first instalment is paid on the last of its five grace days: kept.
    await advanceTo(addDays(day0, 10));
    await arrangement.pay('100.00');
    await advanceTo(addDays(day0, 11));
    expect(await arrangement.running()).toBe(true);

    // The second is never paid: still within the grace on day 25, breached on day 26.
    await advanceTo(addDays(day0, 25));
    expect(await arrangement.running()).toBe(true);
    expect((await arrangement.progress()).map((p) => p.kind)).toEqual(['reminder_sent', 'reminder_sent']);
    await advanceTo(addDays(day0, 26));
    const result = await arrangement.result();
    expect(result.outcome).toBe('breached');
    expect(result.progress.at(-1)).toEqual({ arrangementId: 'arr-2', kind: 'breached', instalment: 1, shortfall: '100.00', on: addDays(day0, 26) });
    // Reminders before the first two instalments; none after the breach.
    expect((await arrangement.reminders()).map((l) => l.posted_on)).toEqual([addDays(day0, 2), addDays(day0, 17)]);
  });

  it('skips a reminder day that passed before it started and reminders for instalments paid ahead; stops on cancel', async () => {
    const day0 = await today();
    const instalments = [
      { dueDate: addDays(day0, 1), amount: '100.00' },
      { dueDate: addDays(day0, 30), amount: '100.00' },
      { dueDate: addDays(day0, 60), amount: '100.00' },
    ];
    const arrangement = await startArrangement(instalments);
    await arrangement.pay('200.00');
    await advanceTo(addDays(day0, 28));
    expect(await arrangement.reminders()).toEqual([]);
    expect(await arrangement.running()).toBe(true);

    await arrangement.cancel('exception registered');
    const result = await arrangement.result();
    expect(result).toEqual({ outcome: 'cancelled', handovers: 0, progress: [{ arrangementId: 'arr-3', kind: 'cancelled', on: addDays(day0, 28) }] });
    await advanceTo(addDays(day0, 58));
    expect(await arrangement.reminders()).toEqual([]);
  });

  it('ends quietly on handover; started again under the same id it sends no second letter and goes on judging', async () => {
    const day0 = await today();
    const arrangement = await startArrangement([
      { dueDate: addDays(day0, 5), amount: '100.00' },
      { dueDate: addDays(day0, 20), amount: '100.00' },
    ]);
    await advanceTo(addDays(day0, 2));
    const [letter] = await arrangement.reminders();
    await arrangement.control({ kind: 'handover' });
    // The new monitor starts on the reminder day: the letter service answers with the letter already sent.
    expect(await arrangement.running()).toBe(true);
    expect(await arrangement.reminders()).toHaveLength(1);
    await advanceTo(addDays(day0, 11));
    const result = await arrangement.result();
    expect(result.outcome).toBe('breached');
    expect(result.handovers).toBe(1);
    expect(result.progress).toEqual([
      { arrangementId: `arr-${runs}`, kind: 'reminder_sent', instalment: 0, letterId: letter!.letter_id, on: addDays(day0, 2) },
      { arrangementId: `arr-${runs}`, kind: 'reminder_sent', instalment: 0, letterId: letter!.letter_id, on: addDays(day0, 2) },
      { arrangementId: `arr-${runs}`, kind: 'breached', instalment: 0, shortfall: '100.00', on: addDays(day0, 11) },
    ]);
  });

  it('ignores a control signal it does not know', async () => {
    const day0 = await today();
    const arrangement = await startArrangement([{ dueDate: addDays(day0, 10), amount: '250.00' }]);
    await arrangement.control({ kind: 'something_new' } as never);
    await arrangement.pay('250.00');
    expect((await arrangement.result()).outcome).toBe('completed');
  });

  it('still tells the track when the monitor itself is cancelled through Temporal', async () => {
    const day0 = await today();
    const arrangement = await startArrangement([{ dueDate: addDays(day0, 10), amount: '250.00' }]);
    await client.workflow.getHandle(arrangement.monitorId).cancel();
    await clock.settle();
    expect(await arrangement.result()).toEqual({ outcome: 'failed', handovers: 0, progress: [{ arrangementId: `arr-${runs}`, kind: 'cancelled', on: day0 }] });
  });

  it('completes at once when what was paid before it started covers the total', async () => {
    const day0 = await today();
    const arrangement = await startArrangement([{ dueDate: addDays(day0, 10), amount: '250.00' }], { paidSoFar: '250.00' });
    expect(await arrangement.result()).toEqual({ outcome: 'completed', handovers: 0, progress: [{ arrangementId: `arr-${runs}`, kind: 'completed', on: day0 }] });
    expect(await arrangement.reminders()).toEqual([]);
  });
});

describe('letter service: arrangement letters and short channels', () => {
  async function send(body: Record<string, unknown>) {
    const response = await fetch(new URL('/letters', services.letters.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...serviceCredentialHeaders(services.letters.secret) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { letterId: string; channel: string; error?: { message: string } } };
  }
  const stored = (letterId: string) => database.db.selectFrom('letter').selectAll().where('letter_id', '=', letterId).executeTakeFirstOrThrow();

  it('confirms an arrangement with its schedule, the lapse rule and the debt-help pointer', async () => {
    const { caseId, paymentReference } = await newCase();
    const sent = await send({
      idempotencyKey: `confirmation-${caseId}`,
      caseId,
      kind: 'arrangement_confirmation',
      postedOn: '2026-11-23',
      facts: {
        invoiceRefs: ['ARR-1'],
        principal: '812.50',
        interest: '0.00',
        outstanding: '812.50',
        graceDays: 5,
        instalments: [
          { dueDate: '2026-12-01', amount: '300.00' },
          { dueDate: '2027-01-01', amount: '300.00' },
          { dueDate: '2027-02-01', amount: '212.50' },
        ],
      },
    });
    expect(sent.status).toBe(201);
    const letter = await stored(sent.body.letterId);
    expect(letter.template).toBe('arrangement_confirmation@3');
    expect(letter.body).toContain('in 3 termijnen');
    expect(letter.body).toMatch(/termijn {2}1 {3}uiterlijk 1 december 2026 +€ 300,00/);
    expect(letter.body).toMatch(/termijn {2}3 {3}uiterlijk 1 februari 2027 +€ 212,50/);
    expect(letter.body).toMatch(/totaal +€ 812,50/);
    expect(letter.body).toContain('5 dagen na de vervaldatum nog niet volledig betaald, dan vervalt de regeling');
    expect(letter.body).toContain('de incasso dan voort');
    expect(letter.body).toContain('schuldhulpverlening');
    expect(letter.body).toContain(paymentReference);
  });

  it.each(['sms', 'whatsapp', 'payment_link'] as const)('sends a short text of at most three lines by %s, through the messaging gateway', async (channel) => {
    const { caseId, paymentReference } = await newCase();
    // Short messages need the tenant's number and consent (else the letter goes by post).
    for (const table of ['debtor', 'debtor_version'] as const) await database.db.updateTable(table).set({ phone: '06-12345678' }).where('case_id', '=', caseId).execute();
    await database.db.insertInto('debtor_consent').values({ case_id: caseId, email: false, sms: true, whatsapp: true, recorded_by: 'test' }).execute();
    const sent = await send({
      idempotencyKey: `short-${channel}-${caseId}`,
      caseId,
      kind: 'reminder',
      channel,
      postedOn: '2026-11-23',
      facts: { invoiceRefs: ['ARR-1'], principal: '800.00', interest: '4.10', outstanding: '804.10' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.channel).toBe(channel);
    const letter = await stored(sent.body.letterId);
    expect(letter.template).toBe('reminder.short@1');
    const lines = letter.body.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(letter.body).toContain('€ 804,10');
    expect(letter.body).toContain('ARR-1');
    expect(letter.body).toContain(paymentReference);
    expect(letter.body).not.toContain('T. Testhuurder');
    if (channel === 'payment_link') expect(letter.body).toContain('betaallink');
    const messages = readFileSync(services.carriers.smsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { messageId: string; channel: string; text: string });
    expect(messages.filter((m) => m.messageId === letter.letter_id)).toEqual([expect.objectContaining({ channel: channel === 'whatsapp' ? 'whatsapp' : 'sms', text: letter.body })]);
  });

  it('refuses a 14-day letter on a short channel', async () => {
    const { caseId } = await newCase();
    const sent = await send({
      idempotencyKey: `wik-sms-${caseId}`,
      caseId,
      kind: 'wik',
      channel: 'sms',
      postedOn: '2026-11-23',
      facts: { invoiceRefs: ['ARR-1'], principal: '800.00', interest: '0.00', outstanding: '800.00' },
    });
    expect(sent.status).toBe(400);
  });
});
