import { msToTs } from '@temporalio/common/lib/time.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { locateTemporalBinary, sdkExecutable, temporalTestServer } from '../../infra/temporal/binaries.js';
import { registerSearchAttributes } from '../../infra/temporal/servers.js';
import { SimulationClock } from '../../services/api/simulation-clock.js';
import { addDays, daysBetween } from '../../shared/calendar/iso-date.js';
import { firstMonthToAnnounce, monthCalendar, nextMonth } from '../../shared/direct-debit/collection-calendar.js';
import { advanceAccountWorkflowId, collectionRunsWorkflowId, debitOutcomeSignalName, unpaidAdvanceInvoiceRef, type DebitOutcome } from '../../shared/direct-debit/debit-outcome.js';
import { debitEndToEndId } from '../../shared/direct-debit/direct-debit-ids.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { eventually } from '../support/eventually.js';
import { recordHistory } from '../support/histories.js';

/**
 * What the bank says of a debit, as the bank import signals it to the advance account (the
 * `debitOutcome` contract): a return for insufficient funds is tried once more in the month's
 * second run and collected; a refund (MD06) is never re-debited but becomes a claim on the
 * collection track of the contract, which then reminds the occupant as it does for rent.
 */
let env: TestWorkflowEnvironment;
let api: ApiHarness;
let clock: SimulationClock;
const account = advanceAccountWorkflowId('test-corp', 'occ-ret');
const paidAccount = advanceAccountWorkflowId('test-corp', 'occ-paid');

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: sdkExecutable(locateTemporalBinary(temporalTestServer)) } });
  await registerSearchAttributes(env.address, 'default');
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { connection: env.connection, nativeConnection: env.nativeConnection }, simulation: true });
  clock = new SimulationClock(env.connection, api.client, async () => [
    collectionRunsWorkflowId('dd-ret'),
    account,
    paidAccount,
    ...(await api.database.db.selectFrom('collection_case').select('workflow_id').execute()).map((r) => r.workflow_id),
  ]);
});
afterAll(async () => {
  await api?.close();
  await env?.teardown();
});

async function advanceTo(date: string): Promise<void> {
  const { today } = (await api.call('GET', '/v1/simulation/now')).body as { today: string };
  const days = daysBetween(today, date);
  if (days <= 0) return;
  await env.connection.testService!.unlockTimeSkippingWithSleep({ duration: msToTs(days * 86_400_000) });
  await clock.settle();
}

const bankSays = (outcome: DebitOutcome, workflowId = account) => api.client.workflow.getHandle(workflowId).signal(debitOutcomeSignalName, outcome);
const simulatedToday = async () => ((await api.call('GET', '/v1/simulation/now')).body as { today: string }).today;
/** An occupancy of creditor dd-ret with a signed mandate, its advance due from 2026-11. */
const occupancyBody = (o: { ref: string; unit: number; occupantName: string; advance: string }) => ({
  creditorId: 'dd-ret',
  corporationId: 'test-corp',
  contractRef: `HC-DD-${o.ref}-1`,
  unitRef: `Unit ${o.unit}`,
  occupant: { name: o.occupantName, address: { street: `Kade ${o.unit}`, postalCode: '1234 AB', city: 'Utrecht' }, email: null, iban: null },
  movedInOn: '2026-10-01',
  mandate: { mandateId: `MND-${o.ref}-1`, signedOn: '2026-09-15', iban: 'NL02ABNA0123456789' },
  advance: { amount: o.advance, from: '2026-11' },
});
const schedule = { collectionDay: 1, collectionDayShift: 'later' as const, prenoticeDays: 14, runsPerMonth: 2, runIntervalDays: 7 };

describe('outcomes of a direct debit', () => {
  it('retries an AM04 return in the second run and collects it; hands an MD06 refund to the track, which reminds', async () => {
    const { today } = (await api.call('GET', '/v1/simulation/now')).body as { today: string };
    const creditor = {
      corporationId: 'test-corp',
      name: 'Incassodienst Voorbeeld',
      creditorIdentifier: 'NL69ZZZ123456780000',
      iban: 'NL91ABNA0417164300',
      accountMode: 'provider_account',
      collectionDay: 1,
      limits: { maxPerDebit: '500.00', maxRunTotal: '10000.00', runsPerMonth: 2 },
    };
    expect((await api.call('PUT', '/v1/creditors/dd-ret', { body: creditor })).status).toBe(200);
    const occupancy = occupancyBody({ ref: 'RET', unit: 7, occupantName: 'R. Bewoner', advance: '95.00' });
    expect((await api.call('PUT', '/v1/occupancies/occ-ret', { key: api.keys.billing, body: occupancy })).status).toBe(201);

    const first = firstMonthToAnnounce(schedule, today);
    const [run1, run2] = monthCalendar(schedule, first).runs as [any, any];

    // The first run's debit is returned for insufficient funds (camt, AM04) three days after collection.
    await advanceTo(run1.collectionDate);
    const firstDebit = debitEndToEndId('dd-ret', 'occ-ret', first, 1);
    const returned: DebitOutcome = { endToEndId: firstDebit, kind: 'returned', reasonCode: 'AM04', on: run1.collectionDate, amount: '95.00', source: 'camt.053' };
    await bankSays(returned);
    await bankSays(returned); // the same bank file read twice
    await clock.settle();
    // Read until booked: on a loaded machine the clock can look quiet between the signal and its activity.
    const retry = await eventually(() => api.database.db.selectFrom('direct_debit').selectAll().where('occupancy_id', '=', 'occ-ret').where('attempt', '=', 2).execute(), (rows) => rows.length > 0);
    expect(retry.map((d) => [d.month, d.run_id, d.status])).toEqual([[first, `dd-ret.${first}.2`, 'planned']]);

    // The second run takes it: its file holds the retry, which is collected.
    await advanceTo(run2.collectionDate);
    const secondFiles = readdirSync(join(api.services.outboxDir, 'bank', 'dd-ret')).filter((f) => f.startsWith(`VS${first.replace('-', '')}R2`));
    expect(secondFiles).toHaveLength(1);
    expect(readFileSync(join(api.services.outboxDir, 'bank', 'dd-ret', secondFiles[0]!), 'utf8')).toContain(debitEndToEndId('dd-ret', 'occ-ret', first, 2));
    const afterRetry = (await api.call('GET', '/v1/occupancies/occ-ret', { key: api.keys.operator })).body;
    const firstMonth = afterRetry.months.find((m: any) => m.month === first);
    expect(firstMonth).toMatchObject({ status: 'collected', handedToTrack: false });
    expect(firstMonth.attempts.map((a: any) => [a.attempt, a.status, a.reasonCode])).toEqual([[1, 'returned', 'AM04'], [2, 'collected', null]]);
    expect(await api.database.db.selectFrom('collection_case').select('case_id').where('contract_ref', '=', 'HC-DD-RET-1').execute()).toEqual([]);

    // The next month's advance is collected, then refunded at the occupant's request (MD06): no retry, a claim on the track.
    const second = nextMonth(first);
    const secondRun1 = monthCalendar(schedule, second).runs[0]!;
    await advanceTo(secondRun1.collectionDate);
    await advanceTo(addDays(secondRun1.collectionDate, 20));
    await bankSays({ endToEndId: debitEndToEndId('dd-ret', 'occ-ret', second, 1), kind: 'refunded', reasonCode: 'MD06', on: addDays(secondRun1.collectionDate, 20), amount: '95.00', source: 'camt.053' });
    await clock.settle();
    const refunded = (await api.call('GET', '/v1/occupancies/occ-ret', { key: api.keys.operator })).body.months.find((m: any) => m.month === second);
    expect(refunded).toMatchObject({ status: 'unpaid', handedToTrack: true, reasonCode: 'MD06' });
    expect(refunded.attempts).toHaveLength(1);
    const caseRow = await api.database.db.selectFrom('collection_case').select('case_id').where('contract_ref', '=', 'HC-DD-RET-1').executeTakeFirstOrThrow();
    const claims = await api.database.db.selectFrom('claim').select(['invoice_ref', 'amount', 'due_date']).where('case_id', '=', caseRow.case_id).execute();
    expect(claims).toEqual([{ invoice_ref: unpaidAdvanceInvoiceRef('occ-ret', second), amount: '95.00', due_date: secondRun1.collectionDate }]);

    // The track takes it from there: a reminder goes out.
    await advanceTo(addDays(secondRun1.collectionDate, 40));
    const track = (await api.call('GET', `/v1/cases/${caseRow.case_id}`, { key: api.keys.operator })).body;
    expect(track.letters.map((l: any) => l.kind)).toContain('reminder');

    // The occupant then pays that advance in cash: an operator records it, the track books the payment (once).
    const paidOn = await simulatedToday();
    const body = { action: 'paid_otherwise', paidOn, reference: 'KAS-2027-014' };
    const settled = await api.call('POST', `/v1/occupancies/occ-ret/advances/${second}`, { key: api.keys.operator, body });
    expect(settled.status).toBe(200);
    expect(settled.body).toMatchObject({ status: 'paid_otherwise', amount: '95.00', paidOn, withdrawnDebits: [], settledOnTrack: true });
    expect((await api.call('POST', `/v1/occupancies/occ-ret/advances/${second}`, { key: api.keys.operator, body })).body).toEqual(settled.body);
    await clock.settle();
    const paidTrack = (await api.call('GET', `/v1/cases/${caseRow.case_id}`, { key: api.keys.operator })).body;
    expect(paidTrack.payments.filter((p: any) => p.transactionId === `paid-otherwise-occ-ret-${second}`)).toEqual([
      { transactionId: `paid-otherwise-occ-ret-${second}`, amount: '95.00', bookedOn: paidOn },
    ]);
    const paidMonth = (await api.call('GET', '/v1/occupancies/occ-ret', { key: api.keys.operator })).body.months.find((m: any) => m.month === second);
    expect(paidMonth).toMatchObject({ status: 'paid_otherwise', handedToTrack: true });
  });

  it("a month paid another way leaves the runs: no retry after a return, nothing to the track; refused while the debit is at the bank", async () => {
    const occupancy = occupancyBody({ ref: 'PAID', unit: 9, occupantName: 'P. Contant', advance: '80.00' });
    expect((await api.call('PUT', '/v1/occupancies/occ-paid', { key: api.keys.billing, body: occupancy })).status).toBe(201);
    const month = firstMonthToAnnounce(schedule, await simulatedToday());
    const [run1, run2] = monthCalendar(schedule, month).runs as [any, any];
    const path = `/v1/occupancies/occ-paid/advances/${month}`;
    const paid = (reference: string) => ({ action: 'paid_otherwise', paidOn: run1.collectionDate, reference });

    // In the bank's file: the money may still come, so the month cannot be marked paid.
    await advanceTo(run1.collectionDate);
    const atBank = await api.call('POST', path, { key: api.keys.operator, body: paid('KAS-1') });
    expect(atBank.status).toBe(409);
    expect(atBank.body.error).toMatchObject({ code: 'debit_at_bank' });

    // Returned (AM04): a retry is booked in the second run. Then it is paid in cash.
    const firstDebit = debitEndToEndId('dd-ret', 'occ-paid', month, 1);
    await bankSays({ endToEndId: firstDebit, kind: 'returned', reasonCode: 'AM04', on: run1.collectionDate, amount: '80.00', source: 'camt.053' }, paidAccount);
    await clock.settle();
    const retryId = debitEndToEndId('dd-ret', 'occ-paid', month, 2);
    const booked = await eventually(() => api.database.db.selectFrom('direct_debit').select('status').where('end_to_end_id', '=', retryId).execute(), (rows) => rows.length > 0);
    expect(booked).toEqual([{ status: 'planned' }]);
    // Only an operator records it; the billing key may not.
    expect((await api.call('POST', path, { key: api.keys.billing, body: paid('KAS-1') })).status).toBe(403);
    const recorded = await api.call('POST', path, { key: api.keys.operator, body: paid('KAS-1') });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ status: 'paid_otherwise', amount: '80.00', withdrawnDebits: [retryId], settledOnTrack: false });
    // The same again answers the same; other details are a conflict.
    expect((await api.call('POST', path, { key: api.keys.operator, body: paid('KAS-1') })).body).toEqual(recorded.body);
    expect((await api.call('POST', path, { key: api.keys.operator, body: paid('KAS-2') })).status).toBe(409);

    // The second run goes without it, and a later bank message about the first debit hands nothing over.
    await advanceTo(run2.collectionDate);
    expect(await api.database.db.selectFrom('direct_debit').select('end_to_end_id').where('end_to_end_id', '=', retryId).execute()).toEqual([]);
    const secondFiles = readdirSync(join(api.services.outboxDir, 'bank', 'dd-ret')).filter((f) => f.startsWith(`VS${month.replace('-', '')}R2`));
    for (const file of secondFiles) expect(readFileSync(join(api.services.outboxDir, 'bank', 'dd-ret', file), 'utf8')).not.toContain(retryId);
    await bankSays({ endToEndId: firstDebit, kind: 'rejected', reasonCode: 'AC04', on: run2.collectionDate, amount: '80.00', source: 'pain.002' }, paidAccount);
    await clock.settle();
    const view = (await api.call('GET', '/v1/occupancies/occ-paid', { key: api.keys.operator })).body.months.find((m: any) => m.month === month);
    expect(view).toMatchObject({ status: 'paid_otherwise', handedToTrack: false });
    expect(await api.database.db.selectFrom('collection_case').select('case_id').where('contract_ref', '=', 'HC-DD-PAID-1').execute()).toEqual([]);
    await recordHistory(api.client, paidAccount, 'advance-account-paid-otherwise');
  }, 240_000);
});
