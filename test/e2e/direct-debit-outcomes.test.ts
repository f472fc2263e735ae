import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createUnpaidAdvanceActivities } from '../../activities/unpaid-advances.js';
import { TrackOpener } from '../../services/track-client/track-opener.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { advanceAccountWorkflowId, debitOutcomeSignalName, unpaidAdvanceInvoiceRef, type DebitOutcome } from '../../shared/direct-debit/debit-outcome.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { camtXml } from '../support/camt-files.js';
import { eventually } from '../support/eventually.js';
import { pain002Xml } from '../support/pain002-files.js';
import { caseRequest, ensureTestCorporation, rentClaim } from '../support/tracks.js';

/**
 * Issue 13's outcome side: our own direct debits coming back in bank files. A refund or return in a
 * camt file and a reject in a pain.002 reach the occupancy's advance account (and the debit's row),
 * exactly once; the run's credit is ours, not the worklist's; an advance that stays unpaid becomes
 * a claim on the contract's collection track, once however often it is handed over; KPIs 2 and 14.
 */
let api: ApiHarness;
const today = amsterdamDate(Date.now());
const run = `${process.pid}${Date.now().toString(36)}`.slice(-10).toUpperCase();
const creditorId = `cr-${run.toLowerCase()}`;
const corporationId = 'test-corp';
const month = today.slice(0, 7);

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  await api.database.db
    .insertInto('creditor')
    .values({
      creditor_id: creditorId,
      corporation_id: corporationId,
      name: 'Energiediensten Zuid B.V.',
      initiating_party_name: 'Energiediensten Zuid B.V.',
      creditor_identifier: 'NL69ZZZ123456780000',
      iban: 'NL91ABNA0417164300',
      bic: 'ABNANL2A',
      account_mode: 'provider_account',
      pain_version: 'pain.008.001.02',
      collection_day: 1,
      max_per_debit: '500.00',
      max_run_total: '100000.00',
      runs_per_month: 2,
    })
    .execute();
});
afterAll(async () => {
  await api?.close();
});

let seeded = 0;
/** An occupancy of the creditor, with its contract: the occupant's details stay in Postgres. */
async function occupancy(contractRef = `HC-DD-${run}-${++seeded}`) {
  const occupancyId = `occ-${run.toLowerCase()}-${++seeded}`;
  await api.database.db
    .insertInto('occupancy')
    .values({
      occupancy_id: occupancyId,
      creditor_id: creditorId,
      corporation_id: corporationId,
      contract_ref: contractRef,
      unit_ref: `U-${seeded}`,
      occupant_name: 'B. Bewoner',
      occupant_street: 'Meterweg 3',
      occupant_postal_code: '3511 AB',
      occupant_city: 'Utrecht',
      occupant_email: 'bewoner@example.org',
      occupant_iban: 'NL44RABO0123456789',
      moved_in_on: '2025-01-01',
    })
    .execute();
  return { occupancyId, contractRef };
}

/** A run of the creditor (its pain.008's MsgId, its one batch `<MsgId>-1`) with debits in the given statuses. */
async function runWith(collectionDate: string, debits: readonly { occupancyId: string; status: 'submitted' | 'collected'; amount?: string }[]) {
  const sequence = ++seeded;
  const runId = `${creditorId}.${month}.${sequence}`;
  const messageId = `VS${run}R${sequence}`;
  await api.database.db
    .insertInto('direct_debit_run')
    .values({ run_id: runId, creditor_id: creditorId, corporation_id: corporationId, month, sequence, collection_date: collectionDate, status: 'submitted', message_id: messageId })
    .execute();
  const endToEndIds: string[] = [];
  for (const debit of debits) {
    const endToEndId = `VS${run}A${++seeded}`;
    endToEndIds.push(endToEndId);
    await api.database.db
      .insertInto('direct_debit')
      .values({
        end_to_end_id: endToEndId,
        run_id: runId,
        creditor_id: creditorId,
        corporation_id: corporationId,
        occupancy_id: debit.occupancyId,
        month,
        attempt: 1,
        amount: debit.amount ?? '85.00',
        collection_date: collectionDate,
        sequence_type: 'RCUR',
        status: debit.status,
        mandate_version: 1,
      })
      .execute();
  }
  return { runId, messageId, paymentInfoId: `${messageId}-1`, endToEndIds };
}

/** The occupancy's advance account (the collection service's workflow), told of the debit as a run tells it. */
async function advanceAccount(occupancyId: string, debit: { endToEndId: string; runId: string; collectionDate: string; amount?: string }) {
  const workflowId = advanceAccountWorkflowId(corporationId, occupancyId);
  const handle = await api.client.workflow.start('advanceAccount', { workflowId, taskQueue: api.taskQueue, args: [{ corporationId, occupancyId, creditorId }] });
  await handle.signal('debitSubmitted', {
    endToEndId: debit.endToEndId,
    runId: debit.runId,
    month,
    attempt: 1,
    amount: debit.amount ?? '85.00',
    collectionDate: debit.collectionDate,
    amendment: false,
    laterRuns: [],
  });
  return workflowId;
}

/**
 * The debit outcomes the account received, decoded from its history as the worker reads them. A
 * signal shows in the history once the workflow task in flight completes: read until `count` show.
 */
function outcomesSignalled(workflowId: string, count = 1): Promise<DebitOutcome[]> {
  return eventually(() => signalledNow(workflowId), (outcomes) => outcomes.length >= count);
}

async function signalledNow(workflowId: string): Promise<DebitOutcome[]> {
  const history = await api.client.workflow.getHandle(workflowId).fetchHistory();
  const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === debitOutcomeSignalName);
  return Promise.all(signals.map((e) => decodeFromPayloadsAtIndex<DebitOutcome>(api.client.options.loadedDataConverter, 0, e.workflowExecutionSignaledEventAttributes!.input!.payloads)));
}

/** A second signal would show within the moment its workflow task takes: none may come. */
const noSecondSignal = async (workflowId: string) => expect(await eventually(() => signalledNow(workflowId), (outcomes) => outcomes.length > 1, 3_000)).toHaveLength(1);

const upload = (xml: string, corporation = corporationId) =>
  api.call('POST', `/v1/bank/statements?corporationId=${corporation}`, { key: api.keys.billing, body: xml, contentType: 'application/xml' });
const debitRow = (endToEndId: string) => api.database.db.selectFrom('direct_debit').select(['status', 'reason_code']).where('end_to_end_id', '=', endToEndId).executeTakeFirstOrThrow();
const caseOfContract = (contractRef: string) =>
  api.database.db.selectFrom('collection_case').select(['case_id', 'workflow_id']).where('corporation_id', '=', corporationId).where('contract_ref', '=', contractRef).executeTakeFirst();

describe('our direct debits in bank files', () => {
  it('an MD06 refund in a camt.054 reaches the advance account, becomes a claim on the track and a reminder goes out; the same file again changes nothing', async () => {
    const { occupancyId, contractRef } = await occupancy();
    const collected = addDays(today, -30);
    const { runId, endToEndIds } = await runWith(collected, [{ occupancyId, status: 'collected' }]);
    const endToEndId = endToEndIds[0]!;
    const account = await advanceAccount(occupancyId, { endToEndId, runId, collectionDate: collected });

    const refund = camtXml({
      kind: '054',
      messageId: `N-${run}-1`,
      entries: [
        {
          amount: '85.00',
          direction: 'DBIT',
          reversal: true,
          bookingDate: today,
          ref: `${run}-MD06`,
          code: ['PMNT', 'IDDT', 'UPDD'],
          txs: [{ endToEndId, returnReason: 'MD06', mandateId: 'MND-1', counterIban: 'NL44RABO0123456789', counterName: 'B. Bewoner' }],
        },
      ],
    });
    const first = await upload(refund);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ format: 'camt.054.001.02', entries: 1, new: 1, matched: 0, unmatched: 0, reversals: 0, directDebits: 1 });
    const line = await api.database.db.selectFrom('bank_entry').select(['fate', 'match_rule', 'case_id']).where('first_import_id', '=', first.body.importId).executeTakeFirstOrThrow();
    expect(line).toEqual({ fate: 'direct_debit', match_rule: 'end_to_end_id', case_id: null });

    // Exactly what the account's handler takes (shared/direct-debit/debit-outcome.ts).
    expect(await outcomesSignalled(account)).toEqual([{ endToEndId, kind: 'refunded', reasonCode: 'MD06', on: today, amount: '85.00', source: 'camt.054' }]);
    expect(await debitRow(endToEndId)).toEqual({ status: 'refunded', reason_code: 'MD06' });

    // The account hands the month to the contract's track (claimUnpaidAdvance), which reminds the occupant.
    const opened = await eventually(() => caseOfContract(contractRef), (row) => row !== undefined);
    expect(opened).toBeDefined();
    const status = await eventually(
      () => api.call('GET', `/v1/cases/${opened!.case_id}`, { key: api.keys.operator }),
      (r) => r.body.letters?.length > 0,
    );
    expect(status.body.claims).toMatchObject([{ invoiceRef: unpaidAdvanceInvoiceRef(occupancyId, month), amount: '85.00', dueDate: collected }]);
    expect(status.body.letters[0]).toMatchObject({ kind: 'reminder', date: today });
    const debtor = await api.database.db.selectFrom('debtor').select(['name', 'street', 'iban']).where('case_id', '=', opened!.case_id).executeTakeFirstOrThrow();
    expect(debtor).toEqual({ name: 'B. Bewoner', street: 'Meterweg 3', iban: 'NL44RABO0123456789' });

    const again = await upload(refund);
    expect(again.body).toMatchObject({ entries: 1, new: 0, duplicates: 1, directDebits: 0, unmatched: 0 });
    await noSecondSignal(account);
    expect((await api.call('GET', `/v1/cases/${opened!.case_id}`, { key: api.keys.operator })).body.claims).toHaveLength(1);
  });

  it('the credit of a run, as one batch entry or with its details, is ours: not on the worklist, its debits collected', async () => {
    const first = await occupancy();
    const second = await occupancy();
    const { paymentInfoId, endToEndIds } = await runWith(addDays(today, -2), [
      { occupancyId: first.occupancyId, status: 'submitted' },
      { occupancyId: second.occupancyId, status: 'submitted', amount: '40.00' },
    ]);
    const batch = camtXml({
      kind: '053',
      messageId: `S-${run}-batch`,
      entries: [{ amount: '125.00', bookingDate: today, ref: `${run}-BATCH`, code: ['PMNT', 'RDDT', 'ESDD'], batch: { paymentInfoId } }],
    });
    const answer = await upload(batch);
    expect(answer.body).toMatchObject({ entries: 1, new: 1, matched: 0, unmatched: 0, directDebits: 1 });
    const entry = await api.database.db.selectFrom('bank_entry').select('entry_id').where('first_import_id', '=', answer.body.importId).executeTakeFirstOrThrow();
    const worklist = await api.call('GET', `/v1/bank/unmatched?corporationId=${corporationId}`, { key: api.keys.operator });
    expect(worklist.body.entries.map((e: { entryId: string }) => e.entryId)).not.toContain(entry.entry_id);
    const imported = await api.call('GET', `/v1/bank/imports/${answer.body.importId}`, { key: api.keys.operator });
    expect(imported.body.lines).toMatchObject([{ fate: 'direct_debit', matchRule: 'payment_info_id', caseId: null }]);
    expect(await debitRow(endToEndIds[0]!)).toEqual({ status: 'collected', reason_code: null });
    expect(await debitRow(endToEndIds[1]!)).toEqual({ status: 'collected', reason_code: null });

    // Its camt.054 details carry our end-to-end ids: ours too, never matched to a tenant's case.
    const details = camtXml({
      kind: '054',
      messageId: `N-${run}-batch`,
      entries: [
        {
          amount: '125.00',
          bookingDate: today,
          ref: `${run}-BATCH-D`,
          code: ['PMNT', 'RDDT', 'ESDD'],
          batch: { paymentInfoId },
          txs: [
            { endToEndId: endToEndIds[0]!, amount: '85.00' },
            { endToEndId: endToEndIds[1]!, amount: '40.00' },
          ],
        },
      ],
    });
    expect((await upload(details)).body).toMatchObject({ entries: 2, new: 2, matched: 0, unmatched: 0, directDebits: 2 });
  });

  it('a return of a debit whose occupancy has no running account stays for a person, the debit unchanged', async () => {
    const { occupancyId } = await occupancy();
    const { endToEndIds } = await runWith(addDays(today, -5), [{ occupancyId, status: 'collected' }]);
    const answer = await upload(
      camtXml({
        kind: '053',
        messageId: `S-${run}-noacc`,
        entries: [{ amount: '85.00', direction: 'DBIT', bookingDate: today, ref: `${run}-AC04`, code: ['PMNT', 'IDDT', 'ESDD'], txs: [{ endToEndId: endToEndIds[0]!, returnReason: 'AC04' }] }],
      }),
    );
    expect(answer.body).toMatchObject({ new: 1, unmatched: 1, directDebits: 0 });
    expect(await debitRow(endToEndIds[0]!)).toEqual({ status: 'collected', reason_code: null });
  });
});

describe('pain.002 status reports', () => {
  it('an AM04 reject reaches the advance account; ids not ours are listed and change nothing; the same report again signals nothing', async () => {
    const { occupancyId } = await occupancy();
    const collection = addDays(today, 3);
    const { runId, messageId, paymentInfoId, endToEndIds } = await runWith(collection, [{ occupancyId, status: 'submitted' }]);
    const endToEndId = endToEndIds[0]!;
    const account = await advanceAccount(occupancyId, { endToEndId, runId, collectionDate: collection });
    const report = pain002Xml({
      messageId: `PSR-${run}-1`,
      createdAt: `${today}T05:48:10`,
      originalMessageId: messageId,
      groupStatus: 'PART',
      batches: [
        {
          paymentInfoId,
          status: 'PART',
          txs: [
            { endToEndId, status: 'RJCT', reason: 'AM04', amount: '85.00' },
            { endToEndId: 'NOT-OURS-1', status: 'RJCT', reason: 'AC04' },
          ],
        },
      ],
    });
    const first = await upload(report);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      format: 'pain.002.001.03',
      new: 1,
      duplicates: 0,
      directDebits: 1,
      statusReport: { originalMessageId: messageId, rejected: [endToEndId], alreadyRejected: [], unknownEndToEndIds: ['NOT-OURS-1'], unknownBatches: [], notApplied: [] },
    });
    expect(await outcomesSignalled(account)).toEqual([{ endToEndId, kind: 'rejected', reasonCode: 'AM04', on: today, amount: '85.00', source: 'pain.002' }]);
    expect(await debitRow(endToEndId)).toEqual({ status: 'rejected', reason_code: 'AM04' });

    const again = await upload(report);
    expect(again.body).toMatchObject({ new: 0, duplicates: 1, directDebits: 0, statusReport: { rejected: [], alreadyRejected: [endToEndId], unknownEndToEndIds: ['NOT-OURS-1'] } });
    await noSecondSignal(account);

    // Another corporation's key sending the same report: none of its ids are that corporation's.
    const other = `other-${run.toLowerCase()}`;
    await ensureTestCorporation(api.database.db, { corporationId: other });
    await api.grant(other);
    const elsewhere = await upload(report, other);
    expect(elsewhere.body).toMatchObject({ new: 0, directDebits: 0, statusReport: { rejected: [], unknownEndToEndIds: [endToEndId, 'NOT-OURS-1'] } });
    expect(await debitRow(endToEndId)).toEqual({ status: 'rejected', reason_code: 'AM04' });
  });

  it('a rejected file rejects every debit of the run (.001.10), and one without a running account is left for a person', async () => {
    const withAccount = await occupancy();
    const withoutAccount = await occupancy();
    const collection = addDays(today, 4);
    const { runId, messageId, endToEndIds } = await runWith(collection, [
      { occupancyId: withAccount.occupancyId, status: 'submitted' },
      { occupancyId: withoutAccount.occupancyId, status: 'submitted' },
    ]);
    const account = await advanceAccount(withAccount.occupancyId, { endToEndId: endToEndIds[0]!, runId, collectionDate: collection });
    const answer = await upload(pain002Xml({ version: '10', messageId: `PSR-${run}-2`, createdAt: `${today}T06:00:00`, originalMessageId: messageId, groupStatus: 'RJCT', groupReason: 'FF01' }));
    expect(answer.body).toMatchObject({
      format: 'pain.002.001.10',
      statusReport: { groupStatus: 'RJCT', rejected: [endToEndIds[0]], notApplied: [{ endToEndId: endToEndIds[1], status: 'submitted', why: 'no_account' }] },
    });
    expect(await outcomesSignalled(account)).toEqual([{ endToEndId: endToEndIds[0], kind: 'rejected', reasonCode: 'FF01', on: today, amount: '85.00', source: 'pain.002' }]);
    expect(await debitRow(endToEndIds[1]!)).toEqual({ status: 'submitted', reason_code: null });
    // A report of a file that is not ours names it, and changes nothing.
    expect((await upload(pain002Xml({ messageId: `PSR-${run}-3`, originalMessageId: 'NOT-OUR-FILE', groupStatus: 'RJCT' }))).body).toMatchObject({
      new: 0,
      statusReport: { rejected: [], unknownBatches: ['NOT-OUR-FILE'] },
    });
  });
});

describe('an unpaid advance handed to the track', () => {
  it('opens the track with the claim once however often the activity runs, and keeps the debtor billing recorded', async () => {
    const claimActivity = createUnpaidAdvanceActivities(api.database.db, new TrackOpener(api.client, api.taskQueue)).claimUnpaidAdvance;
    const { occupancyId } = await occupancy();
    const claim = { corporationId, occupancyId, month: '2026-09', amount: '92.50', dueDate: addDays(today, -20), reasonCode: 'AM04' };
    const first = await claimActivity(claim);
    const second = await claimActivity(claim);
    expect(first).toMatchObject({ invoiceRef: unpaidAdvanceInvoiceRef(occupancyId, '2026-09'), opened: true });
    expect(second).toEqual({ ...first, opened: false });
    const claims = await api.database.db.selectFrom('claim').select(['invoice_ref', 'amount']).where('case_id', '=', first.caseId).execute();
    expect(claims).toEqual([{ invoice_ref: unpaidAdvanceInvoiceRef(occupancyId, '2026-09'), amount: '92.50' }]);
    const track = await eventually(
      () => api.call('GET', `/v1/cases/${first.caseId}`, { key: api.keys.operator }),
      (r) => r.status === 200 && r.body.claims?.length === 1,
    );
    expect(track.body.claims).toMatchObject([{ invoiceRef: unpaidAdvanceInvoiceRef(occupancyId, '2026-09'), amount: '92.50' }]);

    // A contract billing already collects rent on: the advance joins its track, the debtor stays billing's.
    const rent = caseRequest({ claims: [rentClaim('R-1', '700.00', addDays(today, -10))] });
    expect((await api.call('POST', '/v1/cases', { key: api.keys.billing, body: rent })).status).toBe(201);
    const onRent = await occupancy(rent.contractRef);
    const joined = await claimActivity({ ...claim, occupancyId: onRent.occupancyId });
    expect(joined.opened).toBe(false);
    const rentCase = await caseOfContract(rent.contractRef);
    expect(joined.caseId).toBe(rentCase!.case_id);
    expect((await api.database.db.selectFrom('debtor').select('name').where('case_id', '=', joined.caseId).executeTakeFirstOrThrow()).name).toBe(rent.debtor.name);
    const both = await eventually(
      () => api.call('GET', `/v1/cases/${joined.caseId}`, { key: api.keys.operator }),
      (r) => r.body.claims?.length === 2,
    );
    expect(both.body.claims.map((c: { invoiceRef: string }) => c.invoiceRef).sort()).toEqual(['R-1', unpaidAdvanceInvoiceRef(onRent.occupancyId, '2026-09')].sort());

    // Of another corporation: refused for good, not retried.
    await expect(claimActivity({ ...claim, corporationId: 'another-corp' })).rejects.toMatchObject({ type: 'UnpaidAdvanceRefused', nonRetryable: true });
  });
});

describe('KPIs 2 and 14 (domain.md §10)', () => {
  it('direct debits per rented unit and reversals per direct debit, per quarter, from the debits sent to the bank', async () => {
    const kpiCorporation = `kpi-${run.toLowerCase()}`;
    await ensureTestCorporation(api.database.db, { corporationId: kpiCorporation });
    await api.grant(kpiCorporation);
    const kpis = async () => (await api.call('GET', `/v1/kpis?corporationId=${kpiCorporation}&from=2026-07-01&to=2026-09-30`, { key: api.keys.operator })).body;
    // No creditor collects for it: the figures say why they are missing.
    expect((await kpis()).directDebitsPerUnit).toMatchObject({ value: null });
    expect((await kpis()).reversalsPerDirectDebit).toMatchObject({ value: null });

    await api.database.db.updateTable('corporation').set({ rented_units: 4 }).where('corporation_id', '=', kpiCorporation).execute();
    const kpiCreditor = `${creditorId}-kpi`;
    const creditor = await api.database.db.selectFrom('creditor').selectAll().where('creditor_id', '=', creditorId).executeTakeFirstOrThrow();
    await api.database.db.insertInto('creditor').values({ ...creditor, creditor_id: kpiCreditor, corporation_id: kpiCorporation }).execute();
    const occupancyId = `occ-kpi-${run.toLowerCase()}`;
    await api.database.db
      .insertInto('occupancy')
      .values({
        occupancy_id: occupancyId,
        creditor_id: kpiCreditor,
        corporation_id: kpiCorporation,
        contract_ref: 'HC-KPI',
        unit_ref: 'U-KPI',
        occupant_name: 'K. Pi',
        occupant_street: 'Telweg 1',
        occupant_postal_code: '1234 AB',
        occupant_city: 'Teststad',
        moved_in_on: '2025-01-01',
      })
      .execute();
    const debits = [
      // In the quarter: five sent to the bank (one rejected, one returned, one refunded), one planned, one withheld.
      ['2026-07', '2026-07-01', 1, 'collected'],
      ['2026-08', '2026-08-03', 1, 'rejected'],
      ['2026-08', '2026-08-10', 2, 'collected'],
      ['2026-09', '2026-09-01', 1, 'returned'],
      ['2026-09', '2026-09-08', 2, 'refunded'],
      ['2026-09', '2026-09-15', 3, 'planned'],
      ['2026-09', '2026-09-22', 4, 'withheld'],
      // Outside it.
      ['2026-10', '2026-10-01', 1, 'refunded'],
    ] as const;
    for (const [debitMonth, collectionDate, attempt, status] of debits) {
      const runId = `${kpiCreditor}.${collectionDate}`;
      await api.database.db
        .insertInto('direct_debit_run')
        .values({ run_id: runId, creditor_id: kpiCreditor, corporation_id: kpiCorporation, month: debitMonth, sequence: attempt, collection_date: collectionDate, status: 'submitted', message_id: `KPI${run}${collectionDate}` })
        .execute();
      await api.database.db
        .insertInto('direct_debit')
        .values({
          end_to_end_id: `KPI${run}${collectionDate}`,
          run_id: runId,
          creditor_id: kpiCreditor,
          corporation_id: kpiCorporation,
          occupancy_id: occupancyId,
          month: debitMonth,
          attempt,
          amount: '50.00',
          collection_date: collectionDate,
          sequence_type: 'RCUR',
          status,
          mandate_version: 1,
        })
        .execute();
    }
    expect(await kpis()).toMatchObject({
      rentedUnits: 4,
      directDebitsPerUnit: 1.25,
      directDebits: { count: 5, amount: '250.00', rejected: 1, returned: 1, refunded: 1 },
      reversalsPerDirectDebit: 0.4,
      directDebitReversals: 2,
    });
  });
});
