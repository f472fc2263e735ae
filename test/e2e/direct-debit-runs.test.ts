import { msToTs } from '@temporalio/common/lib/time.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { XMLParser } from 'fast-xml-parser';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { locateTemporalBinary, sdkExecutable, temporalTestServer } from '../../infra/temporal/binaries.js';
import { registerSearchAttributes } from '../../infra/temporal/servers.js';
import { SimulationClock } from '../../services/api/simulation-clock.js';
import { validateAgainstSchema } from '../../services/bank/xsd/validate-xml.js';
import { firstMonthToAnnounce, monthCalendar, nextMonth } from '../../shared/direct-debit/collection-calendar.js';
import { advanceAccountWorkflowId, collectionRunsWorkflowId } from '../../shared/direct-debit/debit-outcome.js';
import { advanceMonthsQuery } from '../../shared/direct-debit/advance-account-messages.js';
import { upsertCreditor } from '../../infra/db/direct-debit/creditor-store.js';
import { temporal } from '@temporalio/proto';
import { emlFileName } from '../../services/outside-parties/local-smtp-server.js';
import { letterMessageId } from '../../services/letters/channels/smtp-mailer.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { eventually } from '../support/eventually.js';
import { historySize, recordHistory } from '../support/histories.js';

/**
 * The collection service through HTTP on the time-skipping server: creditors in both account
 * modes and both pain.008 versions, occupancies debited month after month for a year, within the
 * bank's limits, a mandate amendment flagged on the next debit and an advance changed from a month on.
 */
let env: TestWorkflowEnvironment;
let api: ApiHarness;
let clock: SimulationClock;
const workflowIds: string[] = [];

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: sdkExecutable(locateTemporalBinary(temporalTestServer)) } });
  await registerSearchAttributes(env.address, 'default');
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { connection: env.connection, nativeConnection: env.nativeConnection }, simulation: true });
  clock = new SimulationClock(env.connection, api.client, async () => workflowIds);
});
afterAll(async () => {
  await api?.close();
  await env?.teardown();
});

/** Moves the server's clock by whole days in one go; it stops at every timer on the way and waits for the work it starts. */
async function advanceDays(days: number): Promise<void> {
  await env.connection.testService!.unlockTimeSkippingWithSleep({ duration: msToTs(days * 86_400_000) });
  await clock.settle();
}

const provider = { name: 'Incassodienst Voorbeeld', identifier: 'NL69ZZZ123456780000', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' };
const client = { name: 'Woonstichting Test', identifier: 'NL32ZZZ876543210000', iban: 'NL44RABO0123456789', bic: 'RABONL2U' };

const creditorBody = (overrides: Record<string, unknown> = {}) => ({
  corporationId: 'test-corp',
  name: provider.name,
  creditorIdentifier: provider.identifier,
  iban: provider.iban,
  bic: provider.bic,
  accountMode: 'provider_account',
  collectionDay: 1,
  prenoticeDays: 14,
  limits: { maxPerDebit: '500.00', maxRunTotal: '10000.00', runsPerMonth: 2 },
  ...overrides,
});

const occupancyBody = (creditorId: string, n: number, advance: string, overrides: Record<string, unknown> = {}) => ({
  creditorId,
  corporationId: 'test-corp',
  contractRef: `HC-DD-${creditorId}-${n}`,
  unitRef: `Unit ${n}`,
  occupant: { name: `Bewoner Één ${n}`, address: { street: `Dorpsstraat ${n}`, postalCode: '1234 AB', city: 'Utrecht' }, email: n % 2 === 0 ? `bewoner${n}@example.nl` : null, iban: null },
  movedInOn: '2026-10-01',
  mandate: { mandateId: `MND-${creditorId}-${n}`, signedOn: '2026-09-15', iban: 'NL02ABNA0123456789' },
  advance: { amount: advance, from: '2026-11' },
  ...overrides,
});

const xml = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false, isArray: (name) => ['PmtInf', 'DrctDbtTxInf'].includes(name) });
const transactionsOf = (file: string) => {
  const doc = xml.parse(file).Document.CstmrDrctDbtInitn;
  return { header: doc.GrpHdr, batches: doc.PmtInf as any[], debits: (doc.PmtInf as any[]).flatMap((p) => p.DrctDbtTxInf as any[]) };
};

describe('direct debit of monthly advances over a year', () => {
  it('debits each occupant every month in valid pain.008 files within the bank limits', async () => {
    const started = Date.now();
    const { today } = (await api.call('GET', '/v1/simulation/now')).body as { today: string };

    // Who collects: the provider on its own account (.08), and the client's account and identifier collected by the provider (.02).
    expect((await api.call('PUT', '/v1/creditors/dd-own', { body: creditorBody() })).status).toBe(200);
    const clientMode = await api.call('PUT', '/v1/creditors/dd-client', {
      body: creditorBody({ name: client.name, initiatingPartyName: provider.name, creditorIdentifier: client.identifier, iban: client.iban, bic: client.bic, accountMode: 'client_account', painVersion: 'pain.008.001.02' }),
    });
    expect(clientMode.status).toBe(200);
    // A run total of 100.00: two advances of 60.00 fill the month's two runs, the third is withheld.
    expect((await api.call('PUT', '/v1/creditors/dd-small', { body: creditorBody({ limits: { maxPerDebit: '500.00', maxRunTotal: '100.00', runsPerMonth: 2 } }) })).status).toBe(200);
    workflowIds.push(collectionRunsWorkflowId('dd-own'), collectionRunsWorkflowId('dd-client'), collectionRunsWorkflowId('dd-small'));

    const occupancies: [string, number, string][] = [
      ['dd-own', 1, '85.00'],
      ['dd-own', 2, '650.00'], // over the bank's per-debit maximum of 500.00
      ['dd-client', 3, '120.50'],
      ['dd-small', 4, '60.00'],
      ['dd-small', 5, '60.00'],
      ['dd-small', 6, '60.00'],
    ];
    for (const [creditorId, n, advance] of occupancies) {
      const stored = await api.call('PUT', `/v1/occupancies/occ-${n}`, { key: api.keys.billing, body: occupancyBody(creditorId, n, advance) });
      expect(stored.status, JSON.stringify(stored.body)).toBe(201);
      workflowIds.push(advanceAccountWorkflowId('test-corp', `occ-${n}`));
    }
    const schedule = { collectionDay: 1, collectionDayShift: 'later' as const, prenoticeDays: 14, runsPerMonth: 2, runIntervalDays: 7 };
    const first = firstMonthToAnnounce(schedule, today);
    const months = [first];
    for (let i = 1; i < 12; i++) months.push(nextMonth(months.at(-1)!));

    // The third month: occupant 1 changes banks (a new IBAN: amendment on the next debit) and asks for a lower advance from the fifth.
    const amendAfter = months[2]!;
    const changeFrom = months[4]!;
    for (const month of months) {
      const calendar = monthCalendar(schedule, month);
      const { today: now } = (await api.call('GET', '/v1/simulation/now')).body as { today: string };
      const lastRun = calendar.runs.at(-1)!;
      const days = Math.ceil((Date.parse(`${lastRun.collectionDate}T12:00:00Z`) - Date.parse(`${now}T12:00:00Z`)) / 86_400_000) + 1;
      await advanceDays(days);
      if (month === months[0]) {
        // The client-account and the split-run creditors are checked on their first month; the year is the own account's.
        for (const creditorId of ['dd-client', 'dd-small']) {
          await api.client.workflow.getHandle(collectionRunsWorkflowId(creditorId)).terminate('checked on its first month');
          workflowIds.splice(workflowIds.indexOf(collectionRunsWorkflowId(creditorId)), 1);
        }
      }
      if (month === amendAfter) {
        const amended = await api.call('PUT', '/v1/occupancies/occ-1', {
          key: api.keys.billing,
          body: occupancyBody('dd-own', 1, '85.00', { mandate: { mandateId: 'MND-dd-own-1', signedOn: '2026-09-15', iban: 'NL18RABO0123459876' } }),
        });
        expect(amended.body).toMatchObject({ mandateVersion: 2, amended: { iban: { from: 'NL02ABNA0123456789', to: 'NL18RABO0123459876' }, changedBank: true } });
        const lowered = await api.call('POST', '/v1/occupancies/occ-1/advance', { key: api.keys.billing, body: { amount: '79.95', from: changeFrom, requestedBy: 'occupant' } });
        expect(lowered.status).toBe(201);
        // A month already announced cannot change any more.
        const tooLate = await api.call('POST', '/v1/occupancies/occ-1/advance', { key: api.keys.billing, body: { amount: '70.00', from: month, requestedBy: 'client' } });
        expect(tooLate.status).toBe(422);
        expect(tooLate.body.error.code).toBe('month_already_announced');
      }
    }
    const elapsed = Date.now() - started;

    // Runs: two a month for each creditor, the second empty unless something moved to it.
    const runs = (await api.call('GET', '/v1/direct-debit/runs?creditorId=dd-own', { key: api.keys.operator })).body as any[];
    const ownMain = runs.filter((r) => r.sequence === 1);
    expect(ownMain.map((r) => r.month).sort()).toEqual(months);
    expect(ownMain.every((r) => r.status === 'submitted' && r.count === 1)).toBe(true);
    expect(runs.filter((r) => r.sequence === 2).every((r) => r.status === 'empty')).toBe(true);

    // Every file in the drop folder validates against its version's XSD, and is the one the API serves.
    const outbox = join(api.services.outboxDir, 'bank');
    // (Each validation costs about a second of xmllint-wasm start-up: the first and the last file of each creditor.)
    for (const [creditorId, version, count] of [['dd-own', 'pain.008.001.08', 12], ['dd-client', 'pain.008.001.02', 1], ['dd-small', 'pain.008.001.08', 2]] as const) {
      const files = readdirSync(join(outbox, creditorId)).filter((f) => f.endsWith('.xml')).sort();
      expect(files).toHaveLength(count);
      for (const file of new Set([files[0]!, files.at(-1)!])) {
        const content = readFileSync(join(outbox, creditorId, file), 'utf8');
        expect(content).toContain(`urn:iso:std:iso:20022:tech:xsd:${version}`);
        const validation = await validateAgainstSchema(content, version);
        expect(validation.errors).toEqual([]);
      }
    }
    const firstRun = ownMain.find((r) => r.month === months[0])!;
    const served = await api.call('GET', `/v1/direct-debit/runs/${firstRun.runId}/pain.008`, { key: api.keys.operator });
    expect(served.status).toBe(200);
    expect(served.body).toBe(readFileSync(join(outbox, 'dd-own', `${firstRun.messageId}.xml`), 'utf8'));

    // Account modes: whose identifier and which account.
    const own = transactionsOf(served.body);
    expect(own.batches[0].CdtrSchmeId.Id.PrvtId.Othr.Id).toBe(provider.identifier);
    expect(own.batches[0].CdtrAcct.Id.IBAN).toBe(provider.iban);
    expect(own.batches[0].Cdtr.Nm).toBe(provider.name);
    expect(own.batches[0].PmtTpInf.SeqTp).toBe('RCUR');
    expect(own.debits[0].RmtInf.Ustrd).toMatch(/^Voorschot servicekosten \w+ \d{4} Unit 1$/);
    expect(own.debits[0].Dbtr.Nm).toBe('Bewoner Een 1');
    const clientRun = ((await api.call('GET', '/v1/direct-debit/runs?creditorId=dd-client', { key: api.keys.operator })).body as any[]).find((r) => r.sequence === 1)!;
    const clientFile = transactionsOf((await api.call('GET', `/v1/direct-debit/runs/${clientRun.runId}/pain.008`, { key: api.keys.operator })).body);
    expect(clientFile.batches[0].CdtrSchmeId.Id.PrvtId.Othr.Id).toBe(client.identifier);
    expect(clientFile.batches[0].CdtrAcct.Id.IBAN).toBe(client.iban);
    expect(clientFile.batches[0].Cdtr.Nm).toBe(client.name);
    expect(clientFile.header.InitgPty.Nm).toBe(provider.name);
    expect(clientFile.debits[0].InstdAmt['#text']).toBe('120.50');

    // Occupant 1: twelve months collected, the amendment flagged on exactly one debit, the new advance from its month on.
    const occupancy = (await api.call('GET', '/v1/occupancies/occ-1', { key: api.keys.operator })).body;
    const collected = occupancy.months.filter((m: any) => months.includes(m.month));
    expect(collected).toHaveLength(12);
    expect(collected.every((m: any) => m.status === 'collected')).toBe(true);
    expect(collected.map((m: any) => m.amount)).toEqual(months.map((m) => (m >= changeFrom ? '79.95' : '85.00')));
    expect(collected.filter((m: any) => m.amendment).map((m: any) => m.month)).toEqual([nextMonth(amendAfter)]);
    expect(collected[0].final).toBe(true);
    expect(occupancy.advances.at(-1)).toMatchObject({ from: changeFrom, amount: '79.95', requestedBy: 'occupant' });
    const amendedRun = ownMain.find((r) => r.month === nextMonth(amendAfter))!;
    const amendedDebit = transactionsOf((await api.call('GET', `/v1/direct-debit/runs/${amendedRun.runId}/pain.008`, { key: api.keys.operator })).body).debits[0];
    expect(amendedDebit.DrctDbtTx.MndtRltdInf.AmdmntInd).toBe('true');
    const beforeRun = ownMain.find((r) => r.month === amendAfter)!;
    expect(transactionsOf((await api.call('GET', `/v1/direct-debit/runs/${beforeRun.runId}/pain.008`, { key: api.keys.operator })).body).debits[0].DrctDbtTx.MndtRltdInf.AmdmntInd).toBe('false');

    // Occupant 2: over the per-debit maximum, never sent; every month withheld with an operator task saying why.
    const over = (await api.call('GET', '/v1/occupancies/occ-2', { key: api.keys.operator })).body;
    expect(over.months.filter((m: any) => months.includes(m.month)).every((m: any) => m.status === 'withheld')).toBe(true);
    const tasks = ((await api.call('GET', '/v1/direct-debit/tasks?creditorId=dd-own', { key: api.keys.operator })).body as any[]).filter((t) => t.occupancyId === 'occ-2');
    expect(tasks).toHaveLength(12);
    expect(tasks[0]).toMatchObject({ kind: 'over_max_per_debit', amount: '650.00', limit: '500.00', status: 'open' });
    expect(tasks[0].message).toContain('500.00');

    // The small creditor: the run total of 100.00 splits the month over its two runs; the third advance is withheld.
    const small = (await api.call('GET', '/v1/direct-debit/runs?creditorId=dd-small', { key: api.keys.operator })).body as any[];
    const firstMonthRuns = small.filter((r) => r.month === months[0]).sort((a, b) => a.sequence - b.sequence);
    expect(firstMonthRuns.map((r) => [r.count, r.total, r.status])).toEqual([[1, '60.00', 'submitted'], [1, '60.00', 'submitted']]);
    const runTotalTasks = await api.database.db.selectFrom('direct_debit_task').select('occupancy_id').where('kind', '=', 'over_max_run_total').where('month', '=', months[0]!).execute();
    expect(runTotalTasks.map((t) => t.occupancy_id)).toEqual(['occ-6']);

    // Pre-notices: one per occupancy and month sent, e-mail when the occupant has an address, else post.
    const notices = await api.database.db.selectFrom('direct_debit_prenotice').selectAll().where('month', '=', months[0]!).orderBy('occupancy_id').execute();
    expect(notices.map((n) => [n.occupancy_id, n.channel])).toEqual([['occ-1', 'post'], ['occ-3', 'post'], ['occ-4', 'email'], ['occ-5', 'post']]);
    // Each went through its carrier once: the e-mail (with the PDF attached) to the local SMTP
    // server, the letters by post into the mail house's batch of their posting day.
    expect(notices.every((n) => n.dispatch_state === 'sent' && n.dispatch_attempts === 1 && n.pdf !== null)).toBe(true);
    const mail = readFileSync(join(api.services.carriers.mailDir, emlFileName(letterMessageId(notices[2]!.letter_id))), 'utf8');
    expect(mail).toContain('Content-Type: application/pdf');
    expect(notices[2]!.body).toContain('€ 60,00');
    expect(notices[2]!.body).toContain('NL69ZZZ123456780000');
    expect(mail).toContain('NL69ZZZ123456780000');
    const manifest = readFileSync(join(api.services.carriers.mailhouseDir, notices[0]!.posted_on!, 'manifest.json'), 'utf8');
    expect(manifest).toContain(notices[0]!.letter_id);
    expect(manifest).toContain('direct_debit_prenotice');

    // A year of an occupancy's account stays a small history; the runs continue as new every month.
    const accountHistory = (await api.client.workflow.getHandle(advanceAccountWorkflowId('test-corp', 'occ-1')).describe()).historyLength;
    const runsHistory = (await api.client.workflow.getHandle(collectionRunsWorkflowId('dd-own')).describe()).historyLength;
    expect(accountHistory).toBeLessThan(400);
    const rows = await api.database.db.selectFrom('direct_debit').select('status').where('occupancy_id', '=', 'occ-1').execute();
    expect(rows.map((r) => r.status)).toEqual(Array(12).fill('collected'));
    console.log(`a year of monthly runs (3 creditors, 6 occupancies) took ${(elapsed / 1000).toFixed(1)} s; history: account ${accountHistory} events, runs workflow (this month) ${runsHistory}`);
  });
});

describe("a large creditor's run", () => {
  it("tells the run's debits to their accounts a page per activity: the runs workflow's history holds cursors, not debits", async () => {
    const { today } = (await api.call('GET', '/v1/simulation/now')).body as { today: string };
    // Stored first, then its runs workflow started here with a page of two (the API starts it with the default of 1,000).
    await upsertCreditor(api.database.db, 'dd-pages', {
      corporationId: 'test-corp',
      name: provider.name,
      creditorIdentifier: provider.identifier,
      iban: provider.iban,
      bic: provider.bic,
      accountMode: 'provider_account',
      painVersion: 'pain.008.001.08',
      collectionDay: 1,
      collectionDayShift: 'later',
      prenoticeDays: 14,
      runIntervalDays: 7,
      limits: { maxPerDebit: '500.00', maxRunTotal: '10000.00', runsPerMonth: 2 },
    });
    const runsId = collectionRunsWorkflowId('dd-pages');
    await api.client.workflow.start('collectionRuns', { workflowId: runsId, taskQueue: api.taskQueue, args: [{ creditorId: 'dd-pages', corporationId: 'test-corp', pageSize: 2 }] });
    workflowIds.push(runsId);
    const occupants = [1, 2, 3, 4, 5];
    for (const n of occupants) {
      expect((await api.call('PUT', `/v1/occupancies/occ-p${n}`, { key: api.keys.billing, body: occupancyBody('dd-pages', 100 + n, '70.00') })).status).toBe(201);
      workflowIds.push(advanceAccountWorkflowId('test-corp', `occ-p${n}`));
    }
    const schedule = { collectionDay: 1, collectionDayShift: 'later' as const, prenoticeDays: 14, runsPerMonth: 2, runIntervalDays: 7 };
    const month = firstMonthToAnnounce(schedule, today);
    const run1 = monthCalendar(schedule, month).runs[0]!;
    // Past the first run's submission, before the second's: the month's run of the workflow is still the current one.
    await advanceDays(Math.round((Date.parse(run1.collectionDate) - Date.parse(today)) / 86_400_000));

    // Every account heard of its debit.
    for (const n of occupants) {
      const months = await eventually(
        () => api.client.workflow.getHandle(advanceAccountWorkflowId('test-corp', `occ-p${n}`)).query(advanceMonthsQuery),
        (known) => known.some((m) => m.month === month && m.attempts.length === 1),
      );
      expect(months.find((m) => m.month === month)?.attempts.map((a) => [a.attempt, a.amount])).toEqual([[1, '70.00']]);
    }
    // Five debits, a page of two: three pages, each one activity; no signal from the workflow itself.
    const { events, bytes, history } = await historySize(api.client, runsId);
    const types = (history.events ?? []).map((e) => e.eventType);
    const pages = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'tellAccountsPage');
    expect(pages.map((e) => (e.activityTaskScheduledEventAttributes!.input!.payloads!.length))).toEqual([1, 1, 1]);
    expect(types.filter((t) => t === temporal.api.enums.v1.EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)).toEqual([]);
    // A page costs the same few events and bytes however many debits it holds: 10,000 debits in pages of 1,000 are ten pages.
    // (an activity's three events and a workflow task's three, measured here on the largest page)
    const size = (e: temporal.api.history.v1.IHistoryEvent) => temporal.api.history.v1.HistoryEvent.encode(e).finish().length;
    const all = history.events ?? [];
    const ofPage = (scheduled: temporal.api.history.v1.IHistoryEvent) =>
      all.filter((e) => e.eventId === scheduled.eventId || Number(e.activityTaskStartedEventAttributes?.scheduledEventId ?? e.activityTaskCompletedEventAttributes?.scheduledEventId ?? -1) === Number(scheduled.eventId));
    const taskBytes = Math.max(...all.filter((e) => e.workflowTaskCompletedEventAttributes || e.workflowTaskStartedEventAttributes || e.workflowTaskScheduledEventAttributes).map(size));
    const perPage = { events: 6, bytes: Math.max(...pages.map((p) => ofPage(p).reduce((sum, e) => sum + size(e), 0))) + 3 * taskBytes };
    const of10k = { events: events + (10 - pages.length) * perPage.events, bytes: bytes + (10 - pages.length) * perPage.bytes };
    expect(of10k.bytes).toBeLessThan(64_000);
    console.log(`runs workflow, one month's first run of 5 debits in pages of 2: ${events} events, ${bytes} bytes; a run of 10,000 in pages of 1,000: about ${of10k.events} events, ${of10k.bytes} bytes`);
    await recordHistory(api.client, runsId, 'collection-runs-told-by-page');
  }, 240_000);
});
