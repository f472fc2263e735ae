import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCaseEventActivities } from '../../activities/case-events.js';
import { createRetentionActivities } from '../../activities/retention.js';
import { upsertCorporation } from '../../infra/db/corporation-store.js';
import { personalDataOf } from '../../services/api/personal-data-export.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { anonymisedMarker } from '../../shared/retention/anonymised.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { caseRequest, ensureTestCorporation, rentClaim, seedCase } from '../support/tracks.js';
import { productWorkflowBundle } from '../support/workflow-bundle.js';

/**
 * Issue 12: a bank line's counterparty name, IBAN and free text are personal data. The personal-data
 * export shows them with the case; the retention job scrubs them with the case, and scrubs a line
 * booked to no case once the retention period has passed since its booking date.
 */
let database: TestDatabase;
const today = amsterdamDate(Date.now());
const corporationId = `bank-retention-${process.pid}`;
const importId = randomUUID();
const payer = { name: 'Henk de Betaler-Tester', iban: 'NL44RABO0123456789', text: 'huur van mijn moeder Jolanda, Lindengracht 117' };

function yearsBefore(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y - years, m - 1, d)).toISOString().slice(0, 10);
}
const longAgo = addDays(yearsBefore(today, 7), -2);

async function seedClosedCase(closedOn: string) {
  const { caseId } = await seedCase(database.db, caseRequest({ corporationId, claims: [rentClaim('R-1', '100.00', addDays(closedOn, -60))] }));
  await createCaseEventActivities(database.db).recordCaseEvents({
    caseId,
    corporationId,
    events: [{ key: `${caseId}/closed`, kind: 'closed_paid', occurredOn: closedOn, amount: null }],
    payments: [{ transactionId: `bank-${caseId}`, amount: '100.00', bookedOn: closedOn }],
    stage: 'closed',
    closedReason: 'paid',
  });
  return caseId;
}

let entryCounter = 0;
async function entry(values: { caseId?: string; bookingDate: string; fate: 'matched' | 'unmatched' | 'not_ours'; corporation?: string }) {
  entryCounter++;
  const entryId = `be-${entryCounter.toString(16).padStart(32, '0')}`;
  await database.db
    .insertInto('bank_entry')
    .values({
      entry_id: entryId,
      entry_key: `${importId}-${entryCounter}`,
      corporation_id: values.corporation ?? corporationId,
      first_import_id: importId,
      account_iban: 'NL91ABNA0417164300',
      booking_date: values.bookingDate,
      amount: '100.00',
      currency: 'EUR',
      direction: 'CRDT',
      reversal: false,
      bank_tx_code: 'PMNT/RCDT/ESCT',
      return_reason: null,
      end_to_end_id: 'NOTPROVIDED',
      structured_ref: '5000056789012345',
      free_text: payer.text,
      counter_iban: payer.iban,
      counter_name: payer.name,
      fate: values.fate,
      match_rule: values.caseId ? 'structured_reference' : null,
      case_id: values.caseId ?? null,
      transaction_id: values.caseId ? `bank-${values.caseId}` : null,
    })
    .execute();
  return entryId;
}
const entryRow = (entryId: string) =>
  database.db.selectFrom('bank_entry').select(['counter_name', 'counter_iban', 'free_text', 'amount', 'booking_date', 'structured_ref', 'fate', 'anonymised_on']).where('entry_id', '=', entryId).executeTakeFirstOrThrow();
const untouched = { counter_name: payer.name, counter_iban: payer.iban, free_text: payer.text, anonymised_on: null };
const scrubbed = { counter_name: anonymisedMarker, counter_iban: null, free_text: anonymisedMarker, anonymised_on: today, amount: '100.00', structured_ref: '5000056789012345' };

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'));
  await ensureTestCorporation(database.db, { corporationId, bailiffOfficeId: 'gdw-test' });
  await upsertCorporation(database.db, corporationId, { name: 'Bankbewaring', vatSurcharge: false, bailiffOfficeId: 'gdw-test', retentionYears: 7 });
  await database.db.insertInto('bank_import').values({ import_id: importId, corporation_id: corporationId, format: 'camt.053.001.02', message_id: 'M-1', imported_by: 'test', counts: JSON.stringify({}) }).execute();
});
afterAll(async () => {
  await database?.drop();
});

describe('bank lines and personal data', () => {
  let dueCase: string;
  let openCase: string;
  const entries: Record<string, string> = {};

  beforeAll(async () => {
    dueCase = await seedClosedCase(addDays(yearsBefore(today, 7), -1));
    ({ caseId: openCase } = await seedCase(database.db, caseRequest({ corporationId, claims: [rentClaim('R-1', '100.00', addDays(today, -20))] })));
    entries.ofDueCase = await entry({ caseId: dueCase, bookingDate: longAgo, fate: 'matched' });
    entries.ofOpenCase = await entry({ caseId: openCase, bookingDate: longAgo, fate: 'matched' });
    entries.oldUnmatched = await entry({ bookingDate: longAgo, fate: 'unmatched' });
    entries.oldSetAside = await entry({ bookingDate: addDays(yearsBefore(today, 7), -1), fate: 'not_ours' });
    entries.recentUnmatched = await entry({ bookingDate: addDays(yearsBefore(today, 7), 1), fate: 'unmatched' });
  });

  it("exports the case's bank lines with the payer's name, account and text (AVG art. 15)", async () => {
    const exported = await personalDataOf(database.db, dueCase);
    expect(exported.bankEntries).toEqual([
      expect.objectContaining({ entryId: entries.ofDueCase, bookingDate: longAgo, amount: '100.00', direction: 'CRDT', counterName: payer.name, counterIban: payer.iban, freeText: payer.text, fate: 'matched', matchRule: 'structured_reference', anonymisedOn: null }),
    ]);
    expect((await personalDataOf(database.db, openCase)).bankEntries.map((e) => e.entryId)).toEqual([entries.ofOpenCase]);
  });

  it("scrubs a case's bank lines with the case, and lines of no case after the period from their booking date; the rest stays", async () => {
    const activities = createRetentionActivities(database.db);
    expect(await activities.anonymiseDueCases({ today, batchSize: 10 })).toEqual({ anonymised: 1, more: false });
    expect(await entryRow(entries.ofDueCase!)).toMatchObject(scrubbed);
    expect(await entryRow(entries.ofOpenCase!)).toMatchObject(untouched);
    expect(await entryRow(entries.oldUnmatched!)).toMatchObject(untouched);

    // A batch of one: the job comes back for the rest.
    expect(await activities.anonymiseDueBankEntries({ today, batchSize: 1 })).toEqual({ anonymised: 1, more: true });
    expect(await activities.anonymiseDueBankEntries({ today, batchSize: 10 })).toEqual({ anonymised: 1, more: false });
    expect(await entryRow(entries.oldUnmatched!)).toMatchObject({ ...scrubbed, fate: 'unmatched' });
    expect(await entryRow(entries.oldSetAside!)).toMatchObject({ ...scrubbed, fate: 'not_ours' });
    expect(await entryRow(entries.recentUnmatched!)).toMatchObject(untouched);
    expect(await entryRow(entries.ofOpenCase!)).toMatchObject(untouched);

    const audit = await database.db.selectFrom('audit_log').select(['actor', 'action', 'case_id', 'detail']).where('action', '=', 'anonymiseBankEntries').orderBy('at').execute();
    expect(audit).toEqual([
      { actor: 'retention-job', action: 'anonymiseBankEntries', case_id: null, detail: { entries: 1, retentionYears: 7, ranOn: today } },
      { actor: 'retention-job', action: 'anonymiseBankEntries', case_id: null, detail: { entries: 1, retentionYears: 7, ranOn: today } },
    ]);
    // Again: nothing is due any more.
    expect(await activities.anonymiseDueBankEntries({ today, batchSize: 10 })).toEqual({ anonymised: 0, more: false });
    const exported = await personalDataOf(database.db, dueCase);
    expect(exported.bankEntries).toEqual([expect.objectContaining({ counterName: anonymisedMarker, counterIban: null, freeText: anonymisedMarker, anonymisedOn: today })]);
    expect(JSON.stringify(exported)).not.toContain(payer.iban);
  });

  it('the daily retention workflow scrubs the due lines of no case too', async () => {
    const due = await entry({ bookingDate: longAgo, fate: 'unmatched' });
    const address = inject('temporalDevAddress');
    const connection = await Connection.connect({ address });
    const nativeConnection = await NativeConnection.connect({ address });
    const taskQueue = `bank-retention-${process.pid}-${Date.now().toString(36)}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: productWorkflowBundle(),
      activities: createRetentionActivities(database.db),
    });
    try {
      const result = await worker.runUntil(new Client({ connection }).workflow.execute('retention', { taskQueue, workflowId: `bank-retention-${randomUUID()}`, args: [{ batchSize: 50 }] }));
      expect(result).toEqual({ ranOn: today, anonymised: 0, bankEntries: 1 });
      expect(await entryRow(due)).toMatchObject({ ...scrubbed, fate: 'unmatched' });
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});
