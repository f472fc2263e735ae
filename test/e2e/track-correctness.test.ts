import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays } from '../../shared/calendar/iso-date.js';
import { recordHistory } from '../support/histories.js';
import { startSimulationApi, type SimulationApi } from '../support/simulation-api.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

/**
 * Issue 8's defects on the track's paths, through HTTP in simulation: a closed case stays closed
 * for claims it knows, a track opened before the due date wakes on the first day of default, and
 * payments have one truth (the track), with the payment table as its projection.
 */
let api: SimulationApi;

beforeAll(async () => {
  api = await startSimulationApi(inject('databaseAdminUrl'));
});
afterAll(async () => {
  await api?.close();
});

const read = async (caseId: string) => (await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).body;
const open = (request: ReturnType<typeof caseRequest>) => api.call('POST', '/v1/cases', { key: api.keys.billing, body: request });
const pay = (caseId: string, body: { transactionId: string; amount: string; bookedOn: string }) => api.call('POST', `/v1/cases/${caseId}/payments`, { key: api.keys.billing, body });
const reverse = (caseId: string, transactionId: string, body: { reversedOn: string; reasonCode: string }) =>
  api.call('POST', `/v1/cases/${caseId}/payments/${transactionId}/reversal`, { key: api.keys.billing, body });
const letterRows = (caseId: string) => api.database.db.selectFrom('letter').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
const paymentRows = (caseId: string) => api.database.db.selectFrom('payment').selectAll().where('case_id', '=', caseId).orderBy('transaction_id').execute();

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await probe();
  for (let i = 0; i < 100 && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await probe();
  }
  return value;
}

/** A corporation without a stored policy: its tracks run on the built-in one (version 0). */
async function builtInPolicyCorporation(corporationId: string) {
  const put = await api.call('PUT', `/v1/corporations/${corporationId}`, { key: api.keys.admin, body: { name: `Corporation ${corporationId}`, bailiffOfficeId: 'gdw-test' } });
  expect([200, 201]).toContain(put.status);
  await api.grant(corporationId);
}

describe('a track opened before its claim is due (defect 2)', () => {
  it.each([
    ['tomorrow', 1],
    ['today', 0],
  ])('wakes on the first day of default of a claim due %s, shows it as the next deadline, and reminds under the built-in policy', async (_when, daysAhead) => {
    const corporationId = `builtin-${daysAhead}`;
    await builtInPolicyCorporation(corporationId);
    const today = await api.today();
    const dueDate = addDays(today, daysAhead);
    const created = await open(caseRequest({ corporationId, claims: [rentClaim('R-DUE', '700.00', dueDate)] }));
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;

    const opened = await api.caseWhen(caseId, (body) => body.nextDeadline !== null);
    expect(opened.nextDeadline).toEqual({ kind: 'first_day_of_default', date: addDays(dueDate, 1) });

    // The built-in ladder's first reminder goes out five days after default; a day at a time, it comes.
    const reminded = await api.advanceUntil(caseId, (body) => body.letters.some((l: { kind: string }) => l.kind === 'reminder'), 35);
    const reminder = reminded.letters.find((l: { kind: string }) => l.kind === 'reminder');
    expect(reminder.date).toBe(addDays(dueDate, 1 + 5));
  });
});

describe('a closed case (defect 1)', () => {
  it('answers a repeat of the claims it knows with 200 and the closed case, and collects nothing again', async () => {
    const today = await api.today();
    const request = caseRequest({ claims: [rentClaim('R-OLD', '500.00', addDays(today, -3))] });
    const created = await open(request);
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;
    const { outstanding } = (await read(caseId)).balance;
    const paid = await pay(caseId, { transactionId: `TX-${caseId}`, amount: outstanding, bookedOn: today });
    expect(paid.status).toBe(202);
    expect(paid.body.closed).toBe(true);
    await api.caseWhen(caseId, (body) => body.stage === 'closed');
    const lettersBefore = (await letterRows(caseId)).length;

    const repeated = await open(request);
    expect(repeated.status).toBe(200);
    expect(repeated.body).toMatchObject({ caseId, workflowId: created.body.workflowId });

    // The track wrote where it stands to the read model: billing finds it closed by its contract.
    const found = await eventually(
      () => api.call('GET', `/v1/cases?corporationId=${request.corporationId}&contractRef=${request.contractRef}&stage=closed`, { key: api.keys.billing }),
      (r) => r.body.cases?.length === 1,
    );
    expect(found.body.cases[0]).toMatchObject({ caseId, stage: 'closed', closedReason: 'paid' });

    await api.advance(10);
    const after = await read(caseId);
    expect(after.stage).toBe('closed');
    expect(after.closedReason).toBe('paid');
    expect(after.balance.outstanding).toBe('0.00');
    expect((await letterRows(caseId)).length).toBe(lettersBefore);
  });

  it('opens a new cycle for a genuinely new claim that carries the contract history and collects only the new claim', async () => {
    const today = await api.today();
    const old = rentClaim('R-1', '600.00', addDays(today, -10));
    const request = caseRequest({ claims: [old] });
    const created = await open(request);
    const caseId = created.body.caseId as string;
    const { balance } = await api.caseWhen(caseId, (body) => body.letters.length > 0);
    expect((await pay(caseId, { transactionId: `TX-${caseId}`, amount: balance.outstanding, bookedOn: today })).body.closed).toBe(true);
    await api.caseWhen(caseId, (body) => body.stage === 'closed');

    const later = await api.advance(20);
    const next = rentClaim('R-2', '650.00', addDays(later, 3));
    const reopened = await open({ ...request, claims: [old, next] });
    expect(reopened.status).toBe(201);
    expect(reopened.body.caseId).toBe(caseId);

    const cycle = await api.caseWhen(caseId, (body) => body.stage !== 'closed' && body.nextDeadline !== null);
    expect(cycle.balance.outstanding).toBe('650.00');
    expect(cycle.claims.find((c: { invoiceRef: string }) => c.invoiceRef === 'R-1').open).toBe('0.00');
    // The history came along: the earlier payment and letters.
    expect(cycle.payments.map((p: { transactionId: string }) => p.transactionId)).toContain(`TX-${caseId}`);
    expect(cycle.letters.length).toBeGreaterThan(0);

    const reminded = await api.advanceUntil(caseId, (body) => body.letters.filter((l: { kind: string }) => l.kind === 'reminder').length >= 2, 20);
    const newReminder = reminded.letters.filter((l: { kind: string }) => l.kind === 'reminder').at(-1);
    expect(newReminder.invoiceRefs).toEqual(['R-2']);
    await recordHistory(api.client, created.body.workflowId, 'track-new-cycle-after-closing');
  });
});

describe('payments have one truth (defect 3)', () => {
  it('writes no payment row for a payment the track refused, and answers a repeat with the current state', async () => {
    const today = await api.today();
    // Due today: not in default yet, so no interest moves the figures.
    const created = await open(caseRequest({ claims: [rentClaim('R-1', '300.00', today), rentClaim('R-2', '300.00', today)] }));
    const caseId = created.body.caseId as string;

    const first = await pay(caseId, { transactionId: `TX-A-${caseId}`, amount: '100.00', bookedOn: today });
    expect(first.status).toBe(202);
    expect(first.body.outstanding).toBe('500.00');
    expect((await pay(caseId, { transactionId: `TX-B-${caseId}`, amount: '50.00', bookedOn: today })).body.outstanding).toBe('450.00');

    // A repeat answers as things stand now, and says it was one.
    const repeat = await pay(caseId, { transactionId: `TX-A-${caseId}`, amount: '100.00', bookedOn: today });
    expect(repeat.status).toBe(202);
    expect(repeat.body).toMatchObject({ duplicate: true, outstanding: '450.00' });
    // A repeat that differs is refused, every time.
    for (let i = 0; i < 2; i++) {
      expect((await pay(caseId, { transactionId: `TX-A-${caseId}`, amount: '101.00', bookedOn: today })).status).toBe(409);
    }

    // The projection has both payments, once.
    const rows = await eventually(() => paymentRows(caseId), (r) => r.length === 2);
    expect(rows.map((r) => [r.amount, r.reversed_on])).toEqual([
      ['100.00', null],
      ['50.00', null],
    ]);

    // Paid in full: the case closes; a new payment on it is refused and leaves no row.
    expect((await pay(caseId, { transactionId: `TX-C-${caseId}`, amount: '450.00', bookedOn: today })).body.closed).toBe(true);
    await api.caseWhen(caseId, (body) => body.stage === 'closed');
    expect((await pay(caseId, { transactionId: `TX-D-${caseId}`, amount: '5.00', bookedOn: today })).status).toBe(409);
    const closedRepeat = await pay(caseId, { transactionId: `TX-C-${caseId}`, amount: '450.00', bookedOn: today });
    expect(closedRepeat.status).toBe(202);
    expect(closedRepeat.body).toMatchObject({ duplicate: true, outstanding: '0.00', closed: true });
    expect((await pay(caseId, { transactionId: `TX-C-${caseId}`, amount: '451.00', bookedOn: today })).status).toBe(409);
    const final = await eventually(() => paymentRows(caseId), (r) => r.length === 3);
    expect(final.map((r) => r.transaction_id).sort()).toEqual([`TX-A-${caseId}`, `TX-B-${caseId}`, `TX-C-${caseId}`].sort());
  });

  it('projects a reversal, answers its repeat with the current state and refuses a repeat with another date', async () => {
    const today = await api.today();
    const created = await open(caseRequest({ claims: [rentClaim('R-1', '400.00', today)] }));
    const caseId = created.body.caseId as string;
    await pay(caseId, { transactionId: `TX-R-${caseId}`, amount: '150.00', bookedOn: today });

    const reversed = await reverse(caseId, `TX-R-${caseId}`, { reversedOn: today, reasonCode: 'MD06' });
    expect(reversed.status).toBe(202);
    expect(reversed.body).toMatchObject({ reversed: true, outstanding: '400.00' });
    const again = await reverse(caseId, `TX-R-${caseId}`, { reversedOn: today, reasonCode: 'MD06' });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ reversed: false, outstanding: '400.00' });
    expect((await reverse(caseId, `TX-R-${caseId}`, { reversedOn: addDays(today, -1), reasonCode: 'MD06' })).status).toBe(409);

    const rows = await eventually(() => paymentRows(caseId), (r) => r[0]?.reversed_on !== null && r.length === 1);
    expect(rows[0]).toMatchObject({ transaction_id: `TX-R-${caseId}`, amount: '150.00', reversed_on: today, reversal_reason: 'MD06' });
  });
});

describe('a claim that falls due after the 14-day letter (defect 7)', () => {
  it('gets a 14-day letter of its own beside the running term, its own costs, and the case shows which letter holds each claim', async () => {
    const today = await api.today();
    const request = caseRequest({ claims: [rentClaim('R-1', '500.00', addDays(today, -6))] });
    const created = await open(request);
    const caseId = created.body.caseId as string;
    const withWik = await api.advanceUntil(caseId, (body) => body.letters.some((l: { kind: string }) => l.kind === 'wik'), 20);
    const cycleLetter = withWik.letters.find((l: { kind: string }) => l.kind === 'wik');

    // Next month's rent, sent by billing while the letter's term runs.
    const later = rentClaim('R-2', '600.00', addDays(await api.today(), 3));
    expect((await open({ ...request, claims: [...request.claims, later] })).status).toBe(200);

    const alongside = await api.advanceUntil(caseId, (body) => body.letters.filter((l: { kind: string }) => l.kind === 'wik').length === 2, 15);
    const own = alongside.letters.filter((l: { kind: string }) => l.kind === 'wik')[1];
    expect(own).toMatchObject({ invoiceRefs: ['R-2'], alongside: true, date: addDays(later.dueDate, 1 + 5) });
    // It does not restart the cycle's term: the track stays where it stood.
    expect(alongside.stage).toBe('wik_letter');
    expect(alongside.claims.map((c: { invoiceRef: string; wikLetterId: string }) => [c.invoiceRef, c.wikLetterId])).toEqual([
      ['R-1', cycleLetter.letterId],
      ['R-2', own.letterId],
    ]);

    // The cycle's term ends first (hand-over is proposed), then the later claim's: each letter's own costs.
    const charged = await api.advanceUntil(caseId, (body) => body.costCharges.length === 2, 30);
    expect(charged.stage).toBe('awaiting_handover');
    expect(charged.costCharges.map((c: { letterId: string }) => c.letterId)).toEqual([cycleLetter.letterId, own.letterId]);
    expect(charged.costCharges[1].collectionCosts).toBe(own.collectionCosts);
    expect(charged.costCharges[1].chargedOn).toBe(own.costsDueFrom);
    await recordHistory(api.client, created.body.workflowId, 'track-later-claim-own-wik-letter');
  });
});
