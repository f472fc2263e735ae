import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeBetalingskenmerk } from '../../shared/bank/betalingskenmerk.js';
import { money } from '../../shared/money.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { camtXml, type CamtEntry } from '../support/camt-files.js';
import { testIban } from '../support/collection-files.js';
import { caseRequest, ensureTestCorporation, rentClaim } from '../support/tracks.js';

/**
 * Issue 12, first slice: a bank file uploaded moves the right tracks, exactly once; a return
 * undoes the payment it returns; what matches nothing lands on the worklist and is booked by hand.
 */
let api: ApiHarness;
const today = amsterdamDate(Date.now());
const run = `${process.pid}${Date.now()}`.slice(-14).padStart(14, '0');
/** References of our own, as the bank service issues them (16 digits, check digit first). */
const kenmerk = (n: number) => makeBetalingskenmerk(`9${run.slice(0, 13)}${n}`);
const tenantIban = testIban('INGB', run.slice(-10));
const strangerIban = testIban('RABO', '0300065264');

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
});
afterAll(async () => {
  await api?.close();
});

const upload = (xml: string, contentType = 'application/xml', corporationId = 'test-corp') =>
  api.call('POST', `/v1/bank/statements?corporationId=${corporationId}`, { key: api.keys.billing, body: xml, contentType });
const read = async (caseId: string) => (await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).body;
const bankState = async () => ({
  imports: (await api.database.db.selectFrom('bank_import').select('import_id').execute()).length,
  entries: await api.database.db.selectFrom('bank_entry').select(['entry_id', 'fate', 'transaction_id']).orderBy('entry_id').execute(),
  payments: await api.database.db.selectFrom('payment').select(['transaction_id', 'reversed_on']).orderBy('transaction_id').execute(),
});

async function openCase(debtorIban?: string, reference?: string) {
  const request = caseRequest({ claims: [rentClaim('R-1', '500.00', addDays(today, -10))] });
  const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: debtorIban ? { ...request, debtor: { ...request.debtor, iban: debtorIban } } : request });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const caseId = created.body.caseId as string;
  if (reference) {
    // As the bank service issues it for the first letter (which may be under way: this one wins).
    await api.database.db
      .insertInto('payment_reference')
      .values({ case_id: caseId, reference })
      .onConflict((oc) => oc.column('case_id').doUpdateSet({ reference }))
      .execute();
  }
  return caseId;
}

describe('bank statements in', () => {
  let structured: string;
  let typed: string;
  let byIban: string;
  let byHand: string;
  let firstImport: string;
  /** Case A's outstanding amount (rent and interest) before any bank file. */
  let owedA: ReturnType<typeof money>;
  const owedAMinus = (paid: string) => owedA.minus(paid).toFixed(2);
  const refA = kenmerk(1);
  const refB = kenmerk(2);
  // Amounts and entries of the day's statement: camt.053.001.02.
  const day: CamtEntry[] = [
    { amount: '100.00', bookingDate: today, ref: `${run}-1`, txs: [{ kenmerk: refA, issuer: 'CUR', counterIban: strangerIban, counterName: 'J. Jansen' }] },
    { amount: '50.00', bookingDate: today, ref: `${run}-2`, txs: [{ ustrd: [`huur ${refB.replace(/(\d{4})(?=\d)/g, '$1 ')}`], counterIban: strangerIban }] },
    { amount: '75.00', bookingDate: today, ref: `${run}-3`, txs: [{ ustrd: ['huur'], counterIban: tenantIban, counterName: 'K. Bakker' }] },
    { amount: '20.00', bookingDate: today, txs: [{ ustrd: ['gift'], counterIban: strangerIban, counterName: 'Onbekend' }] },
    {
      amount: '70.00',
      bookingDate: today,
      ref: `${run}-5`,
      code: ['PMNT', 'RCDT', 'ESCT'],
      batch: { paymentInfoId: 'BATCH-1' },
      txs: [
        { amount: '30.00', ustrd: [refA] },
        { amount: '40.00', counterIban: testIban('ABNA', '0123456789'), counterName: 'X. Onbekend' },
      ],
    },
  ];

  beforeAll(async () => {
    structured = await openCase(undefined, refA);
    typed = await openCase(undefined, refB);
    byIban = await openCase(tenantIban);
    byHand = await openCase();
    owedA = money((await read(structured)).balance.outstanding);
  });

  it('books the credits it can match as payments on their tracks, the rest on the worklist', async () => {
    const answer = await upload(camtXml({ version: '02', messageId: `M1-${run}`, entries: day }));
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ format: 'camt.053.001.02', entries: 6, new: 6, matched: 4, unmatched: 2, duplicates: 0, reversals: 0 });
    firstImport = answer.body.importId;

    const a = await read(structured);
    expect(a.payments.map((p: { amount: string }) => p.amount).sort()).toEqual(['100.00', '30.00']);
    expect(a.balance.outstanding).toBe(owedAMinus('130.00'));
    expect((await read(typed)).payments).toMatchObject([{ amount: '50.00', bookedOn: today }]);
    expect((await read(byIban)).payments).toMatchObject([{ amount: '75.00' }]);
    expect((await read(byHand)).payments).toEqual([]);

    const rules = await api.database.db.selectFrom('bank_entry').select(['case_id', 'match_rule', 'amount']).where('fate', '=', 'matched').orderBy('amount').execute();
    expect(rules).toEqual([
      { case_id: structured, match_rule: 'text_reference', amount: '30.00' },
      { case_id: typed, match_rule: 'text_reference', amount: '50.00' },
      { case_id: byIban, match_rule: 'debtor_iban', amount: '75.00' },
      { case_id: structured, match_rule: 'structured_reference', amount: '100.00' },
    ]);

    const imported = await api.call('GET', `/v1/bank/imports/${firstImport}`, { key: api.keys.operator });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ importId: firstImport, entries: 6, matched: 4 });
    expect(imported.body.lines.map((l: { fate: string }) => l.fate).sort()).toEqual(['matched', 'matched', 'matched', 'matched', 'unmatched', 'unmatched']);
  });

  it('changes nothing when the same file comes again: every line a duplicate', async () => {
    const before = { state: await bankState(), a: await read(structured) };
    const again = await upload(camtXml({ version: '02', messageId: `M1-${run}`, entries: day }));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ entries: 6, new: 0, matched: 0, unmatched: 0, duplicates: 6, reversals: 0 });
    const after = await bankState();
    expect(after.imports).toBe(before.state.imports + 1);
    expect({ entries: after.entries, payments: after.payments }).toEqual({ entries: before.state.entries, payments: before.state.payments });
    expect((await read(structured)).payments).toEqual(before.a.payments);
  });

  it('reads an overlapping camt.053.001.08 file: the known line a duplicate, a refund (MD06) undoes the payment it returns', async () => {
    const overlapping = camtXml({
      version: '08',
      messageId: `M2-${run}`,
      entries: [
        day[0]!,
        { amount: '100.00', direction: 'DBIT', reversal: true, bookingDate: today, ref: `${run}-R1`, code: ['PMNT', 'RCDT', 'RRTN'], txs: [{ kenmerk: refA, counterIban: strangerIban, returnReason: 'MD06' }] },
      ],
    });
    const answer = await upload(overlapping);
    expect(answer.body).toMatchObject({ format: 'camt.053.001.08', entries: 2, new: 1, duplicates: 1, reversals: 1, matched: 0, unmatched: 0 });
    const a = await read(structured);
    expect(a.balance.outstanding).toBe(owedAMinus('30.00'));
    const reversed = a.payments.find((p: { amount: string }) => p.amount === '100.00');
    expect(reversed.reversedOn).toBe(today);
    // Once more: nothing is undone twice.
    expect((await upload(overlapping)).body).toMatchObject({ new: 0, duplicates: 2, reversals: 0 });
    expect((await read(structured)).balance.outstanding).toBe(owedAMinus('30.00'));
  });

  it('puts what matched nothing on the worklist, where a person books it to a case or sets it aside', async () => {
    const list = await api.call('GET', '/v1/bank/unmatched?corporationId=test-corp', { key: api.keys.operator });
    expect(list.status).toBe(200);
    const entries = list.body.entries as { entryId: string; amount: string; counterName: string | null }[];
    expect(entries.map((e) => e.amount).sort()).toEqual(['20.00', '40.00']);
    const [gift, unknown] = [entries.find((e) => e.amount === '20.00')!, entries.find((e) => e.amount === '40.00')!];

    const booked = await api.call('POST', `/v1/bank/unmatched/${unknown.entryId}`, { key: api.keys.operator, body: { caseId: byHand } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    expect(booked.body).toMatchObject({ fate: 'matched', matchRule: 'manual', caseId: byHand });
    expect((await read(byHand)).payments).toMatchObject([{ amount: '40.00', transactionId: booked.body.transactionId }]);

    expect((await api.call('POST', `/v1/bank/unmatched/${gift.entryId}`, { key: api.keys.operator, body: { action: 'not_ours' } })).body).toMatchObject({ fate: 'not_ours' });
    expect((await api.call('GET', '/v1/bank/unmatched?corporationId=test-corp', { key: api.keys.operator })).body.entries).toEqual([]);
    // Settled: a second decision is refused and changes nothing.
    const again = await api.call('POST', `/v1/bank/unmatched/${unknown.entryId}`, { key: api.keys.operator, body: { caseId: structured } });
    expect(again.status).toBe(409);
    expect((await read(structured)).balance.outstanding).toBe(owedAMinus('30.00'));
  });

  it('refuses a file of another kind with 415 naming it, a broken file with 400 naming the line, and stores nothing', async () => {
    const before = await bankState();
    const pain = await upload('<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"><CstmrDrctDbtInitn/></Document>');
    expect(pain.status).toBe(415);
    expect(pain.body.error.message).toMatch(/pain\.008\.001\.02/);
    // A status report is read now (test/e2e/direct-debit-outcomes.test.ts): one without its report is refused whole.
    const status = await upload('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"/>');
    expect(status.status).toBe(400);
    expect(status.body.error).toMatchObject({ code: 'invalid_statement', details: [{ element: 'CstmrPmtStsRpt' }] });
    expect((await upload(camtXml({ entries: day }), 'application/json')).status).toBe(415);

    const broken = camtXml({ messageId: `M3-${run}`, entries: [...day, { amount: '9.99', bookingDate: today, ref: `${run}-9` }] }).replace('<Amt Ccy="EUR">9.99</Amt>', '<Amt Ccy="EUR">9.99</Amount>');
    const refused = await upload(broken);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_statement', details: [{ line: expect.any(Number), element: 'Amt' }] });
    expect(refused.body.error.message).toMatch(/line \d+/);

    // A file of the account another corporation gave as its own, sent under test-corp: refused.
    const theirs = testIban('ABNA', '0417164399');
    await ensureTestCorporation(api.database.db, { corporationId: `other-${run}` });
    await api.database.db.updateTable('corporation').set({ iban: theirs }).where('corporation_id', '=', `other-${run}`).execute();
    const misdirected = await upload(camtXml({ accountIban: theirs, messageId: `M4-${run}`, entries: day }));
    expect(misdirected.status).toBe(422);
    expect(misdirected.body.error.code).toBe('account_of_another_corporation');
    expect(await bankState()).toEqual(before);
  });

  it("books many tracks of one file side by side, and a track's own lines in file order: a credit and its return in one file", async () => {
    const refs = [kenmerk(3), kenmerk(4), kenmerk(5), kenmerk(6), kenmerk(7)];
    const cases = [];
    for (const ref of refs) cases.push(await openCase(undefined, ref));
    const owedFirst = (await read(cases[0]!)).balance.outstanding as string;
    const answer = await upload(
      camtXml({
        messageId: `M5-${run}`,
        entries: [
          { amount: '40.00', bookingDate: today, ref: `${run}-P1`, txs: [{ kenmerk: refs[0]!, counterIban: strangerIban }] },
          ...refs.slice(1).map((ref, n) => ({ amount: `1${n}.00`, bookingDate: today, ref: `${run}-P${n + 2}`, txs: [{ kenmerk: ref, counterIban: strangerIban }] })),
          // The payer's bank sends the first credit back (AC04, account closed) on the same statement.
          { amount: '40.00', direction: 'DBIT' as const, bookingDate: today, ref: `${run}-P9`, code: ['PMNT', 'RCDT', 'RRTN'] as const, txs: [{ kenmerk: refs[0]!, counterIban: strangerIban, returnReason: 'AC04' }] },
        ],
      }),
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ entries: 6, new: 6, matched: 5, reversals: 1, unmatched: 0, duplicates: 0 });
    const first = await read(cases[0]!);
    expect(first.payments).toMatchObject([{ amount: '40.00', reversedOn: today }]);
    expect(first.balance.outstanding).toBe(owedFirst);
    for (const [n, caseId] of cases.slice(1).entries()) expect((await read(caseId)).payments).toMatchObject([{ amount: `1${n}.00` }]);
  });
});
