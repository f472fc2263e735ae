import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCaseEventActivities } from '../../activities/case-events.js';
import { createRetentionActivities } from '../../activities/retention.js';
import { upsertCorporation } from '../../infra/db/corporation-store.js';
import { storeDebtorVersion } from '../../services/case-intake/debtor-versions.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { anonymisedMarker } from '../../shared/retention/anonymised.js';
import { ensureRetentionSchedule, retentionScheduleOptions } from '../../worker/retention-schedule.js';
import { eventually } from '../support/eventually.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { caseRequest, ensureTestCorporation, rentClaim, seedCase } from '../support/tracks.js';
import { productWorkflowBundle } from '../support/workflow-bundle.js';

/**
 * Issue 10, retention (AVG art. 5(1)(e)): a closed case's personal data is anonymised once its
 * corporation's retention period has passed, by a daily Temporal Schedule whose workflow calls an
 * idempotent activity. The activity is driven here with the day it runs for; the schedule runs the
 * real workflow on a worker against the dev server.
 */

let database: TestDatabase;
const today = amsterdamDate(Date.now());
const corporationId = `retention-${process.pid}`;
const shortCorporationId = `retention-short-${process.pid}`;

/** The same calendar day `years` years earlier (29 February becomes 1 March). */
function yearsBefore(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y - years, m - 1, d)).toISOString().slice(0, 10);
}

const personal = {
  name: 'Jolanda Verhoeven-Tester',
  street: 'Lindengracht 117-II',
  postalCode: '1015 KJ',
  city: 'Amsterdam',
  email: 'jolanda.verhoeven@example.org',
  phone: '06-98765432',
  iban: 'NL91ABNA0417164300',
  bsn: '111222333',
};
const moved = { street: 'Westerstraat 9', postalCode: '1015MN', city: 'Amsterdam-West' };

/**
 * A case as a track leaves it after closing: two versions of the debtor, a letter to the first,
 * notes, a task with a note, an objection, a bailiff instruction, and the closing written by the
 * read-model activity on `closedOn`.
 */
async function closedCase(closedOn: string, corporation = corporationId) {
  const db = database.db;
  const request = caseRequest({
    corporationId: corporation,
    debtor: { name: personal.name, address: { street: personal.street, postalCode: personal.postalCode, city: personal.city }, email: personal.email, phone: personal.phone, iban: personal.iban, bsn: personal.bsn },
    claims: [rentClaim('R-1', '812.50', addDays(closedOn, -60))],
  });
  const { caseId } = await seedCase(db, request);
  await db
    .insertInto('letter')
    .values({
      letter_id: crypto.randomUUID(),
      idempotency_key: `${caseId}/reminder`,
      case_id: caseId,
      kind: 'reminder',
      channel: 'post',
      posted_on: addDays(closedOn, -50),
      delivered_on: null,
      template: 'reminder@1',
      body: `${personal.name}\n${personal.street}\n${personal.postalCode}  ${personal.city}\n\nTotaal openstaand: € 812,50\nMail ons via ${personal.email}.`,
      facts: JSON.stringify({ outstanding: '812.50', invoiceRefs: ['R-1'] }),
      debtor_version: 1,
    })
    .execute();
  await storeDebtorVersion(db, caseId, { name: personal.name, street: moved.street, postal_code: moved.postalCode, city: moved.city, email: personal.email, phone: null, iban: null, bsn: null }, 'person:operator');
  await db
    .insertInto('letter')
    .values({
      letter_id: crypto.randomUUID(),
      idempotency_key: `${caseId}/wik`,
      case_id: caseId,
      kind: 'wik',
      channel: 'post',
      posted_on: addDays(closedOn, -30),
      delivered_on: null,
      template: 'wik@1',
      body: `${personal.name}\n${moved.street}\n1015 MN  ${moved.city}\n\nBetaal € 812,50 binnen 14 dagen na ontvangst.`,
      facts: JSON.stringify({ outstanding: '812.50', invoiceRefs: ['R-1'] }),
      debtor_version: 2,
      pdf: Buffer.from(`%PDF-1.7 ${personal.name}`),
      sha256: 'sha-of-the-wik',
      pages: 1,
    })
    .execute();
  await db.insertInto('case_note').values({ case_id: caseId, topic: 'dispute', actor: 'person:operator', note: `Mevrouw ${personal.name} belde vanaf ${personal.phone}.` }).execute();
  await db
    .insertInto('task')
    .values({ task_id: `${caseId}/call/1`, case_id: caseId, corporation_id: corporation, kind: 'call', status: 'completed', opened_on: addDays(closedOn, -40), expires_on: addDays(closedOn, -30), arrears: '812.50', outcome: 'reached', note: 'Zoon neemt op, moeder in ziekenhuis.' })
    .execute();
  await db.insertInto('early_warning_objection').values({ case_id: caseId, objected_on: addDays(closedOn, -20), note: 'Wil geen contact met de gemeente.', recorded_by: 'person:operator' }).execute();
  await db
    .insertInto('bailiff_instruction')
    .values({ idempotency_key: `${caseId}/stop`, case_id: caseId, office_id: 'gdw-test', instruction: 'stop', detail: JSON.stringify({ reason: 'paid', addressee: personal.name }) })
    .execute();
  await createCaseEventActivities(db).recordCaseEvents({
    caseId,
    corporationId: corporation,
    events: [
      { key: `${caseId}/payment/T-1`, kind: 'payment', occurredOn: closedOn, amount: '812.50' },
      { key: `${caseId}/closed`, kind: 'closed_paid', occurredOn: closedOn, amount: null },
    ],
    payments: [{ transactionId: `T-${caseId}`, amount: '812.50', bookedOn: closedOn }],
    stage: 'closed',
    closedReason: 'paid',
  });
  return caseId;
}

/** Every row that has to do with the case, as text: what "changes nothing" compares. */
async function caseRows(caseId: string) {
  const db = database.db;
  const of = async (table: 'collection_case' | 'debtor' | 'debtor_version' | 'letter' | 'case_note' | 'task' | 'early_warning_objection' | 'bailiff_instruction' | 'claim' | 'payment' | 'case_event' | 'audit_log') =>
    (await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t where case_id = ${caseId} order by t::text`.execute(db)).rows.map((r) => r.row);
  const tables = ['collection_case', 'debtor', 'debtor_version', 'letter', 'case_note', 'task', 'early_warning_objection', 'bailiff_instruction', 'claim', 'payment', 'case_event', 'audit_log'] as const;
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await of(t)] as const)));
}

const everyPersonalValue = [personal.name, personal.street, personal.postalCode, personal.city, personal.email, personal.phone, personal.iban, personal.bsn, moved.street, moved.postalCode, '1015 MN', moved.city, 'Zoon neemt op', 'Wil geen contact'];

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'));
  await ensureTestCorporation(database.db, { corporationId, bailiffOfficeId: 'gdw-test' });
  await ensureTestCorporation(database.db, { corporationId: shortCorporationId, bailiffOfficeId: 'gdw-test' });
  await upsertCorporation(database.db, shortCorporationId, { name: 'Kort bewaren', vatSurcharge: false, bailiffOfficeId: 'gdw-test', retentionYears: 2 });
});
afterAll(async () => {
  await database?.drop();
});

describe('the closing day in the read model', () => {
  it("is the closing write's last event, kept when the track writes closed again, cleared when a new cycle starts", async () => {
    const caseId = await closedCase('2024-03-11');
    const closedOn = () => database.db.selectFrom('collection_case').select('closed_on').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(await closedOn()).toEqual({ closed_on: '2024-03-11' });

    const record = createCaseEventActivities(database.db).recordCaseEvents;
    await record({ caseId, corporationId, events: [{ key: `${caseId}/late`, kind: 'payment_reversed', occurredOn: '2024-04-02', amount: '1.00' }], stage: 'closed', closedReason: 'paid' });
    expect(await closedOn()).toEqual({ closed_on: '2024-03-11' });

    await record({ caseId, corporationId, events: [], stage: 'reminder' });
    expect(await closedOn()).toEqual({ closed_on: null });
    // Closed without an event in the write: today.
    await record({ caseId, corporationId, events: [], stage: 'closed', closedReason: 'withdrawn' });
    expect(await closedOn()).toEqual({ closed_on: today });
  });
});

describe('anonymising closed cases after the retention period (activities/retention.ts)', () => {
  let due: string;
  let notYet: string;
  let exactly: string;
  let shortPeriod: string;

  beforeAll(async () => {
    due = await closedCase(addDays(yearsBefore(today, 7), -1));
    notYet = await closedCase(addDays(yearsBefore(today, 7), 1));
    exactly = await closedCase(yearsBefore(today, 7));
    // A corporation that keeps personal data 2 years: 3 years after closing is past its period.
    shortPeriod = await closedCase(yearsBefore(today, 3), shortCorporationId);
  });

  it('anonymises a case closed 7 years and a day ago, and leaves one closed 7 years less a day ago (and exactly 7 years ago) as it was', async () => {
    const before = { notYet: await caseRows(notYet), exactly: await caseRows(exactly), due: await caseRows(due) };
    const result = await createRetentionActivities(database.db).anonymiseDueCases({ today, batchSize: 50 });
    expect(result.more).toBe(false);
    expect(result.anonymised).toBeGreaterThanOrEqual(2);

    expect(await caseRows(notYet)).toEqual(before.notYet);
    expect(await caseRows(exactly)).toEqual(before.exactly);

    const after = await caseRows(due);
    const text = JSON.stringify(after);
    for (const value of everyPersonalValue) expect(text, value).not.toContain(value);

    const db = database.db;
    expect(await db.selectFrom('debtor').select(['name', 'street', 'postal_code', 'city', 'email', 'phone', 'iban', 'bsn', 'version']).where('case_id', '=', due).executeTakeFirst()).toEqual({
      name: anonymisedMarker,
      street: anonymisedMarker,
      postal_code: anonymisedMarker,
      city: anonymisedMarker,
      email: null,
      phone: null,
      iban: null,
      bsn: null,
      version: 2,
    });
    const versions = await db.selectFrom('debtor_version').select(['version', 'name', 'street', 'email', 'changed_by']).where('case_id', '=', due).orderBy('version').execute();
    expect(versions).toEqual([
      { version: 1, name: anonymisedMarker, street: anonymisedMarker, email: null, changed_by: 'billing' },
      { version: 2, name: anonymisedMarker, street: anonymisedMarker, email: null, changed_by: 'person:operator' },
    ]);
    // The letters stay as evidence of what was asked when, for how much; not of whom.
    const letters = await db.selectFrom('letter').select(['kind', 'body', 'facts', 'debtor_version']).where('case_id', '=', due).orderBy('posted_on').execute();
    expect(letters.map((l) => l.body)).toEqual([
      `${anonymisedMarker}\n${anonymisedMarker}\n${anonymisedMarker}  ${anonymisedMarker}\n\nTotaal openstaand: € 812,50\nMail ons via ${anonymisedMarker}.`,
      `${anonymisedMarker}\n${anonymisedMarker}\n${anonymisedMarker}  ${anonymisedMarker}\n\nBetaal € 812,50 binnen 14 dagen na ontvangst.`,
    ]);
    expect(letters.map((l) => l.debtor_version)).toEqual([1, 2]);
    // A PDF cannot be scrubbed: it goes, its hash stays as the record of what was sent.
    expect(await db.selectFrom('letter').select(['pdf', 'sha256']).where('case_id', '=', due).orderBy('posted_on').execute()).toEqual([
      { pdf: null, sha256: null },
      { pdf: null, sha256: 'sha-of-the-wik' },
    ]);
    expect(await db.selectFrom('case_note').select('note').where('case_id', '=', due).execute()).toEqual([{ note: anonymisedMarker }]);
    expect(await db.selectFrom('task').select(['note', 'outcome', 'arrears']).where('case_id', '=', due).execute()).toEqual([{ note: anonymisedMarker, outcome: 'reached', arrears: '812.50' }]);
    expect(await db.selectFrom('early_warning_objection').select('note').where('case_id', '=', due).execute()).toEqual([{ note: anonymisedMarker }]);
    expect(await db.selectFrom('bailiff_instruction').select('detail').where('case_id', '=', due).execute()).toEqual([{ detail: { reason: 'paid', addressee: anonymisedMarker } }]);

    // Ids, amounts and dates stay: the books and the KPIs still add up.
    for (const table of ['claim', 'payment', 'case_event'] as const) expect(after[table], table).toEqual(before.due[table]);
    expect(await db.selectFrom('collection_case').select(['contract_ref', 'stage', 'closed_reason', 'closed_on', 'anonymised_on']).where('case_id', '=', due).executeTakeFirst()).toMatchObject({
      stage: 'closed',
      closed_reason: 'paid',
      closed_on: addDays(yearsBefore(today, 7), -1),
      anonymised_on: today,
    });
    // What the job did is on record, with ids and dates only.
    const audit = await db.selectFrom('audit_log').select(['actor', 'action', 'kind', 'corporation_id', 'detail']).where('case_id', '=', due).execute();
    expect(audit).toEqual([
      {
        actor: 'retention-job',
        action: 'anonymisePersonalData',
        kind: 'retention',
        corporation_id: corporationId,
        detail: { closedOn: addDays(yearsBefore(today, 7), -1), retentionYears: 7, ranOn: today },
      },
    ]);
  });

  it("honours the corporation's own retention period", async () => {
    const debtor = await database.db.selectFrom('debtor').select('name').where('case_id', '=', shortPeriod).executeTakeFirstOrThrow();
    expect(debtor.name).toBe(anonymisedMarker);
  });

  it('changes nothing when it runs again, the same day or later', async () => {
    const everything = async () => Object.fromEntries(await Promise.all([due, notYet, exactly, shortPeriod].map(async (id) => [id, await caseRows(id)] as const)));
    const before = await everything();
    const activities = createRetentionActivities(database.db);
    expect(await activities.anonymiseDueCases({ today, batchSize: 50 })).toEqual({ anonymised: 0, more: false });
    expect(await everything()).toEqual(before);
    // A day later the "7 years exactly" case is due; the others stay as they are.
    const tomorrow = addDays(today, 1);
    expect(await activities.anonymiseDueCases({ today: tomorrow, batchSize: 50 })).toEqual({ anonymised: 1, more: false });
    const later = await everything();
    expect(later[exactly]).not.toEqual(before[exactly]);
    for (const id of [due, notYet, shortPeriod]) expect(later[id], id).toEqual(before[id]);
  });

  it('lets a new cycle on an anonymised contract record the debtor afresh, as a new version', async () => {
    const caseId = await closedCase(addDays(yearsBefore(today, 9), -1));
    await createRetentionActivities(database.db).anonymiseDueCases({ today, batchSize: 50 });
    const { contract_ref } = await database.db.selectFrom('collection_case').select('contract_ref').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const again = caseRequest({
      corporationId,
      contractRef: contract_ref,
      debtor: { name: personal.name, address: { street: personal.street, postalCode: personal.postalCode, city: personal.city } },
      claims: [rentClaim('R-2', '830.00', addDays(today, -5))],
    });
    expect((await seedCase(database.db, again)).caseId).toBe(caseId);
    const debtor = await database.db.selectFrom('debtor').select(['name', 'version']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(debtor).toEqual({ name: personal.name, version: 3 });
    // The versions of before stay anonymised.
    const names = await database.db.selectFrom('debtor_version').select('name').where('case_id', '=', caseId).orderBy('version').execute();
    expect(names.map((n) => n.name)).toEqual([anonymisedMarker, anonymisedMarker, personal.name]);
  });

  it('works in batches and says when more are due', async () => {
    const first = await closedCase(addDays(yearsBefore(today, 8), -1));
    const second = await closedCase(addDays(yearsBefore(today, 8), -2));
    const activities = createRetentionActivities(database.db);
    expect(await activities.anonymiseDueCases({ today, batchSize: 1 })).toEqual({ anonymised: 1, more: true });
    expect(await activities.anonymiseDueCases({ today, batchSize: 1 })).toEqual({ anonymised: 1, more: false });
    const names = await database.db.selectFrom('debtor').select('name').where('case_id', 'in', [first, second]).execute();
    expect(names).toEqual([{ name: anonymisedMarker }, { name: anonymisedMarker }]);
  });
});

describe('the daily schedule (worker/retention-schedule.ts, workflows/retention)', () => {
  it('runs the retention workflow on the worker, which anonymises what is due and records its run; setting it up again updates it', async () => {
    const address = inject('temporalDevAddress');
    const connection = await Connection.connect({ address });
    const nativeConnection = await NativeConnection.connect({ address });
    const client = new Client({ connection });
    const taskQueue = `retention-test-${process.pid}-${Date.now().toString(36)}`;
    const scheduleId = `retention-daily-test-${process.pid}-${Date.now().toString(36)}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: productWorkflowBundle(),
      activities: createRetentionActivities(database.db),
    });
    const running = worker.run();
    try {
      const caseId = await closedCase(addDays(yearsBefore(today, 7), -1));
      expect(await ensureRetentionSchedule(client, taskQueue, scheduleId)).toBe('created');
      expect(await ensureRetentionSchedule(client, taskQueue, scheduleId)).toBe('updated');
      const schedule = client.schedule.getHandle(scheduleId);
      const described = await schedule.describe();
      expect(described.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retention', taskQueue });
      expect(described.policies).toMatchObject({ overlap: retentionScheduleOptions(taskQueue).policies.overlap });

      await schedule.trigger();
      const run = await eventually(
        () => database.db.selectFrom('retention_run').selectAll().where('run_key', 'like', `${scheduleId}%`).execute(),
        (rows) => rows.length > 0,
      );
      expect(run).toEqual([expect.objectContaining({ ran_on: today, anonymised: 1 })]);
      const debtor = await database.db.selectFrom('debtor').select(['name', 'email']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
      expect(debtor).toEqual({ name: anonymisedMarker, email: null });
      await schedule.delete();
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
    }
  });
});
