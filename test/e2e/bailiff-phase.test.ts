import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays } from '../../shared/calendar/iso-date.js';
import { bailiffPhaseWorkflowId } from '../../shared/track/bailiff-messages.js';
import { historySize, recordHistory } from '../support/histories.js';
import { startSimulationApi, type SimulationApi } from '../support/simulation-api.js';
import { caseRequest, rentClaim } from '../support/tracks.js';
import { eventually } from '../support/eventually.js';
import { extractText, getDocumentProxy } from 'unpdf';

const dutchDate = (iso: string) => new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));

let api: SimulationApi;

beforeAll(async () => {
  api = await startSimulationApi(inject('databaseAdminUrl'));
});
afterAll(async () => {
  await api?.close();
});

/** Opens a case whose claim is long overdue and runs it to the hand-over proposal. */
async function caseAwaitingHandover(amount = '812.50') {
  const today = await api.today();
  const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', amount, addDays(today, -40))] }) });
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  await api.caseWhen(caseId, (c) => c.letters?.length === 1);
  await api.advance(14);
  const wik = (await api.caseWhen(caseId, (c) => c.stage === 'wik_letter')).letters.find((l: { kind: string }) => l.kind === 'wik');
  const daysToTermEnd = Math.round((Date.parse(wik.deadline) - Date.parse(await api.today())) / 86_400_000) + 1;
  await api.advance(daysToTermEnd);
  const waiting = await api.caseWhen(caseId, (c) => c.stage === 'awaiting_handover' && c.proposals.length > 0);
  return { caseId, proposal: waiting.proposals.find((p: { decision: string }) => p.decision === 'handover') };
}

const bailiffEvent = (caseId: string, body: object, key = api.keys.bailiff) => api.call('POST', `/v1/bailiff/cases/${caseId}/events`, { key, body });

describe('hand-over and the bailiff phase, through HTTP in simulation', () => {
  it('takes a case from hand-over through the summonses and court to eviction and collection', async () => {
    const { caseId, proposal } = await caseAwaitingHandover();
    expect(proposal).toMatchObject({ proposedBy: 'track', status: 'pending' });
    expect((await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.bailiff })).status).toBe(404);
    expect((await api.call('POST', `/v1/cases/${caseId}/approvals`, { key: api.keys.operator, body: { decision: 'handover', proposalId: proposal.proposalId } })).status).toBe(403);

    const approved = await api.call('POST', `/v1/cases/${caseId}/approvals`, { key: api.keys.approver, body: { decision: 'handover', proposalId: proposal.proposalId } });
    expect(approved.status).toBe(200);
    let status = await api.caseWhen(caseId, (c) => c.stage === 'summons_first');
    expect(status.bailiff).toMatchObject({ officeId: 'gdw-test' });
    const dossier = await api.database.db.selectFrom('bailiff_instruction').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
    expect(dossier.map((d) => d.instruction)).toEqual(['handover', 'first_summons']);
    expect((await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.bailiff })).status).toBe(200);
    expect((await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.otherBailiff })).status).toBe(404);

    // 8-day term, then the second summons with 5 days, then the writ of summons.
    status = await api.advanceUntil(caseId, (c) => c.stage === 'summons_second');
    expect(status.timeline.some((t: { event: string }) => /second summons posted/.test(t.event))).toBe(true);
    status = await api.advanceUntil(caseId, (c) => c.stage === 'court');
    const today = await api.today();

    expect((await bailiffEvent(caseId, { eventId: 'ev-1', type: 'summons_served', date: today }, api.keys.otherBailiff)).status).toBe(404);
    expect((await bailiffEvent(caseId, { eventId: 'ev-1', type: 'summons_served', date: today })).status).toBe(202);
    expect((await bailiffEvent(caseId, { eventId: 'ev-1', type: 'summons_served', date: today })).status).toBe(202);
    expect((await bailiffEvent(caseId, { eventId: 'ev-x', type: 'eviction_scheduled', date: today, evictionDate: addDays(today, 20) })).status).toBe(422);
    expect((await bailiffEvent(caseId, { eventId: 'ev-2', type: 'judgment', date: today })).status).toBe(202);
    status = await api.caseWhen(caseId, (c) => c.stage === 'judgment' && c.proposals.some((p: { decision: string }) => p.decision === 'eviction'));
    expect(Number(status.balance.bailiffFees)).toBeGreaterThan(250);
    expect(status.costCharges.filter((c: { kind: string }) => c.kind === 'bailiff_fee')).toHaveLength(2);

    // The corporation approves the eviction (four-eyes), then the bailiff schedules it.
    const eviction = status.proposals.find((p: { decision: string }) => p.decision === 'eviction');
    expect((await bailiffEvent(caseId, { eventId: 'ev-3', type: 'eviction_scheduled', date: today, evictionDate: addDays(today, 20) })).body.error.message).toMatch(/not approved/);
    expect((await api.call('POST', `/v1/cases/${caseId}/approvals`, { key: api.keys.approver, body: { decision: 'eviction', proposalId: eviction.proposalId } })).status).toBe(200);
    await api.caseWhen(caseId, (c) => c.proposals.some((p: { decision: string; status: string }) => p.decision === 'eviction' && p.status === 'approved'));
    const tooEarly = await bailiffEvent(caseId, { eventId: 'ev-3', type: 'eviction_scheduled', date: today, evictionDate: addDays(today, 13) });
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.body.error.message).toContain(addDays(today, 14));
    expect((await bailiffEvent(caseId, { eventId: 'ev-3', type: 'eviction_scheduled', date: today, evictionDate: addDays(today, 14) })).status).toBe(202);
    status = await api.caseWhen(caseId, (c) => c.stage === 'eviction_announced');
    expect(status.bailiff.evictionDate).toBe(addDays(today, 14));
    await api.advance(1);
    const signal = await api.database.db.selectFrom('municipality_signal').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    expect(signal).toMatchObject({ kind: 'eviction_date' });
    // The tenant hears of it from the corporation as well: the eviction date in plain Dutch, with where help is.
    const evictionLetters = await api.database.db.selectFrom('letter').selectAll().where('case_id', '=', caseId).where('kind', '=', 'eviction_information').execute();
    expect(evictionLetters).toHaveLength(1);
    expect(evictionLetters[0]).toMatchObject({ template: 'eviction_information@1', dispatch_state: 'sent', policy_version: expect.any(Number) });
    const evictionText = (await extractText(await getDocumentProxy(new Uint8Array(evictionLetters[0]!.pdf!)), { mergePages: true })).text.replace(/\s+/g, ' ');
    expect(evictionText).toContain(`dat uw woning op ${dutchDate(addDays(today, 14))} wordt ontruimd`);
    expect(evictionText).toContain(`De gerechtsdeurwaarder heeft u op ${dutchDate(today)} laten weten`);

    await api.advance(14);
    const evictedOn = await api.today();
    expect((await bailiffEvent(caseId, { eventId: 'ev-4', type: 'evicted', date: evictedOn })).status).toBe(202);
    status = await api.caseWhen(caseId, (c) => c.stage === 'post_eviction');
    expect(status.costCharges.filter((c: { kind: string }) => c.kind === 'bailiff_fee')).toHaveLength(3);

    // Collection afterwards: what the bailiff collects is a payment; in full it closes the track.
    const owed = status.balance.outstanding;
    expect((await bailiffEvent(caseId, { eventId: 'ev-5', type: 'collected', date: evictedOn, amount: owed })).status).toBe(202);
    status = await api.caseWhen(caseId, (c) => c.stage === 'closed');
    expect(status).toMatchObject({ closedReason: 'paid', balance: { outstanding: '0.00' } });

    // What a whole track to eviction costs the server: reported, kept for replay, never asserted as a budget.
    const row = await api.database.db.selectFrom('collection_case').select('workflow_id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    await api.client.workflow.getHandle(row.workflow_id).result();
    for (const [workflowId, name] of [
      [row.workflow_id, 'track-to-eviction'],
      [bailiffPhaseWorkflowId(row.workflow_id), 'bailiff-phase-to-eviction'],
    ] as const) {
      const size = await historySize(api.client, workflowId);
      console.log(`[history] ${name}: ${size.events} events, ${size.bytes} bytes`);
      expect(size.events).toBeGreaterThan(0);
      await recordHistory(api.client, workflowId, name);
    }
  });

  it('stops the bailiff and cancels nothing further when the tenant pays in full during the summonses', async () => {
    const { caseId, proposal } = await caseAwaitingHandover('400.00');
    await api.call('POST', `/v1/cases/${caseId}/approvals`, { key: api.keys.approver, body: { decision: 'handover', proposalId: proposal.proposalId } });
    const inSummons = await api.caseWhen(caseId, (c) => c.stage === 'summons_first');
    const paid = await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: { transactionId: `TX-${caseId}`, amount: inSummons.balance.outstanding, bookedOn: await api.today() } });
    expect(paid.body.closed).toBe(true);
    await api.advance(1);
    const instructions = await api.database.db.selectFrom('bailiff_instruction').select('instruction').where('case_id', '=', caseId).execute();
    expect(instructions.map((i) => i.instruction)).toContain('stop');
  });

  it('parks a track on an exception, holds its letters, and resumes where it stood', async () => {
    const today = await api.today();
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', '600.00', addDays(today, -40))] }) });
    const caseId = created.body.caseId;
    await api.caseWhen(caseId, (c) => c.letters?.length === 1);
    const parked = await api.call('POST', `/v1/cases/${caseId}/exceptions`, { key: api.keys.operator, body: { kind: 'dispute', note: 'Huurder meldt lekkage; huurbevriezing gevraagd' } });
    expect(parked.status).toBe(201);
    expect((await api.call('POST', `/v1/cases/${caseId}/exceptions`, { key: api.keys.operator, body: { kind: 'unknown' } })).status).toBe(400);
    let status = await api.caseWhen(caseId, (c) => c.stage === 'parked');
    expect(status.exceptions).toEqual(['dispute']);
    const note = await api.database.db.selectFrom('case_note').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(note.note).toContain('lekkage');

    await api.advance(20);
    status = await api.caseWhen(caseId, () => true);
    expect(status.stage).toBe('parked');
    expect(status.letters).toHaveLength(1);

    expect((await api.call('DELETE', `/v1/cases/${caseId}/exceptions/wsnp`, { key: api.keys.operator })).status).toBe(404);
    expect((await api.call('DELETE', `/v1/cases/${caseId}/exceptions/dispute`, { key: api.keys.operator })).status).toBe(200);
    status = await api.caseWhen(caseId, (c) => c.letters.length === 2);
    expect(status.stage).toBe('wik_letter');
  });

  it('stops interest at a WSNP ruling and writes off only with a second person’s approval', async () => {
    const today = await api.today();
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', '900.00', addDays(today, -60))] }) });
    const caseId = created.body.caseId;
    await api.caseWhen(caseId, (c) => c.letters?.length === 1);
    await api.call('POST', `/v1/cases/${caseId}/exceptions`, { key: api.keys.operator, body: { kind: 'wsnp', since: today } });
    const parked = await api.caseWhen(caseId, (c) => c.stage === 'parked' && c.claimFilings?.length === 1);
    const atRuling = parked.balance.interest;
    // The claim is filed with the administrator, as it stood on the ruling's day, once.
    expect(parked.claimFilings[0]).toMatchObject({ proceeding: 'wsnp', filedOn: today });
    const filings = await api.database.db.selectFrom('claim_filing').selectAll().where('case_id', '=', caseId).execute();
    expect(filings).toHaveLength(1);
    expect(filings[0]).toMatchObject({ proceeding: 'wsnp', ruling_date: today, principal: '900.00', interest: atRuling, total: parked.balance.outstanding });
    // The tenant is told what was filed with the administrator, and not to pay it to the corporation.
    const filingLetter = await eventually(
      () => api.database.db.selectFrom('letter').selectAll().where('case_id', '=', caseId).where('kind', '=', 'claim_filing').execute(),
      (rows) => rows.length > 0,
    );
    expect(filingLetter).toHaveLength(1);
    expect(filingLetter[0]).toMatchObject({ template: 'claim_filing@1', posted_on: today, policy_version: expect.any(Number) });
    const filingText = (await extractText(await getDocumentProxy(new Uint8Array(filingLetter[0]!.pdf!)), { mergePages: true })).text.replace(/\s+/g, ' ');
    expect(filingText).toContain('Onze vordering is ingediend bij de bewindvoerder');
    expect(filingText).toContain(`Totaal ingediend: € ${new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 2 }).format(Number(parked.balance.outstanding))}`);
    expect(filingText).toContain('Betaal dit bedrag niet aan ons.');
    await api.advance(30);
    expect((await api.caseWhen(caseId, () => true)).balance.interest).toBe(atRuling);

    const resolved = await api.call('DELETE', `/v1/cases/${caseId}/exceptions/wsnp?outcome=write_off`, { key: api.keys.operator });
    expect(resolved.status).toBe(200);
    const proposalId = resolved.body.proposalId;
    // The approver who proposes a write-off cannot approve it too.
    const ownProposal = await api.call('POST', `/v1/cases/${caseId}/proposals`, { key: api.keys.approver, body: { decision: 'write_off' } });
    expect(ownProposal.body.proposalId).toBe(proposalId);
    const otherCase = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', '50.00', addDays(today, 5))] }) });
    const selfProposed = await api.call('POST', `/v1/cases/${otherCase.body.caseId}/proposals`, { key: api.keys.approver, body: { decision: 'write_off' } });
    const selfApproved = await api.call('POST', `/v1/cases/${otherCase.body.caseId}/approvals`, { key: api.keys.approver, body: { decision: 'write_off', proposalId: selfProposed.body.proposalId } });
    expect(selfApproved.status).toBe(409);
    expect(selfApproved.body.error.code).toBe('same_person');

    expect((await api.call('POST', `/v1/cases/${caseId}/approvals`, { key: api.keys.approver, body: { decision: 'write_off', proposalId } })).status).toBe(200);
    const closed = await api.caseWhen(caseId, (c) => c.stage === 'closed');
    expect(closed.closedReason).toBe('written_off');
    const workflowId = (await api.database.db.selectFrom('collection_case').select('workflow_id').where('case_id', '=', caseId).executeTakeFirstOrThrow()).workflow_id;
    await api.client.workflow.getHandle(workflowId).result();
    await recordHistory(api.client, workflowId, 'track-claim-filed-in-wsnp');
  });

  it('reopens the debt when a payment is reversed (storno)', async () => {
    const today = await api.today();
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', '700.00', addDays(today, -3))] }) });
    const caseId = created.body.caseId;
    const before = (await api.caseWhen(caseId, (c) => c.nextDeadline !== null)).balance.outstanding;
    await api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body: { transactionId: `DD-${caseId}`, amount: '300.00', bookedOn: today } });
    const reversal = await api.call('POST', `/v1/cases/${caseId}/payments/DD-${caseId}/reversal`, { key: api.keys.billing, body: { reversedOn: today, reasonCode: 'MD06' } });
    expect(reversal.status).toBe(202);
    expect(reversal.body).toMatchObject({ reversed: true, outstanding: before });
    expect((await api.call('POST', `/v1/cases/${caseId}/payments/nope/reversal`, { key: api.keys.billing, body: { reversedOn: today, reasonCode: 'MD06' } })).status).toBe(404);
  });

  it('records the operator’s confirmation of the proposed segment', async () => {
    const today = await api.today();
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ segment: 'slow_payer', claims: [rentClaim('R-1', '100.00', today)] }) });
    const caseId = created.body.caseId;
    expect((await api.call('POST', `/v1/cases/${caseId}/segment`, { key: api.keys.billing, body: { segment: 'lax' } })).status).toBe(403);
    expect((await api.call('POST', `/v1/cases/${caseId}/segment`, { key: api.keys.operator, body: { segment: 'lax' } })).status).toBe(200);
    const status = await api.caseWhen(caseId, (c) => c.segment.confirmed === 'lax');
    expect(status.segment).toEqual({ proposed: 'slow_payer', confirmed: 'lax' });
  });
  it('answers the sector KPIs from the read model the tracks above wrote', async () => {
    const to = await api.today();
    const from = addDays(to, -400);
    const path = `/v1/kpis?corporationId=test-corp&from=${from}&to=${to}`;
    expect((await api.call('GET', path, { key: api.keys.billing })).status).toBe(403);
    expect((await api.call('GET', `/v1/kpis?corporationId=test-corp&from=${to}&to=${from}`, { key: api.keys.operator })).status).toBe(400);
    expect((await api.call('GET', `/v1/kpis?corporationId=no-such-corp&from=${from}&to=${to}`, { key: api.keys.operator })).status).toBe(404);

    const kpis = await api.call('GET', path, { key: api.keys.operator });
    expect(kpis.status).toBe(200);
    const events = await api.database.db.selectFrom('case_event').select(['kind', 'occurred_on', 'case_id']).where('corporation_id', '=', 'test-corp').execute();
    const count = (kind: string) => events.filter((e) => e.kind === kind).length;
    expect(count('first_reminder')).toBeGreaterThanOrEqual(5);
    expect(kpis.body).toMatchObject({
      corporationId: 'test-corp',
      firstReminders: count('first_reminder'),
      casesAtBailiff: new Set(events.filter((e) => e.kind === 'handed_over').map((e) => e.case_id)).size,
      writeOffs: { count: 1 },
      reversals: 1,
      evictionsYearToDate: events.filter((e) => e.kind === 'evicted' && e.occurred_on >= `${to.slice(0, 4)}-01-01`).length,
      // No units known for the test corporation: the per-unit figures say what is missing.
      firstRemindersPerUnit: { value: null, reason: expect.stringContaining('rentedUnits') },
      writtenOffPercentOfBilledRevenue: { value: null },
    });
    expect(count('evicted')).toBe(1);
    expect(kpis.body.casesAtBailiff).toBeGreaterThanOrEqual(2);
    expect(Number(kpis.body.collectionCostsCharged)).toBeGreaterThan(0);
    expect(kpis.body.averageDaysToPay).toBeGreaterThan(0);
    expect(kpis.body.averageCourtCaseDays).toBeGreaterThan(0);

    // With the number of units known, the per-unit figures follow.
    await api.call('PUT', '/v1/corporations/test-corp', { key: api.keys.admin, body: { name: 'Testcorporatie', bailiffOfficeId: 'gdw-test', rentedUnits: 1000 } });
    const perUnit = await api.call('GET', path, { key: api.keys.operator });
    expect(perUnit.body.firstRemindersPerUnit).toBe(Number((count('first_reminder') / 1000).toFixed(4)));
  });
});
