import { describe, expect, it } from 'vitest';
import { entryKeys } from '../../../services/bank/import/statement-import.js';
import { kenmerkenInText, matchLine, type CaseLookup } from '../../../services/bank/matching/match-line.js';
import type { StatementLine } from '../../../services/bank/statements/statement-entry.js';

const line = (overrides: Partial<StatementLine>): StatementLine => ({
  accountIban: 'NL91ABNA0417164300',
  entryRef: 'R1',
  txIndex: 0,
  amount: '100.00',
  currency: 'EUR',
  direction: 'CRDT',
  reversal: false,
  status: 'BOOK',
  bookingDate: '2026-07-06',
  valueDate: null,
  bankTxCode: 'PMNT/RCDT/ESCT',
  endToEndId: null,
  mandateId: null,
  structuredRef: null,
  freeText: [],
  counterIban: null,
  counterName: null,
  returnReason: null,
  batchPaymentInfoId: null,
  ...overrides,
});

const lookup = (references: Record<string, string>, ibans: Record<string, string[]>): CaseLookup => ({
  caseOfReference: async (r) => references[r] ?? null,
  openCasesOfIban: async (i) => ibans[i] ?? [],
});

/** Issue 12: which case a bank line pays, by the first rule that finds one. */
describe('matching a bank line to a case', () => {
  const cases = lookup({ '0010008346912014': 'case-a', '5000056789012345': 'case-b' }, { NL44RABO0123456789: ['case-c'], NL20INGB0001234567: ['case-d', 'case-e'] });

  it('takes the structured betalingskenmerk first, with its leading zeros', async () => {
    const matched = await matchLine(line({ structuredRef: { ref: '0010008346912014', issuer: 'CUR' }, freeText: ['5000056789012345'], counterIban: 'NL44RABO0123456789' }), cases);
    expect(matched).toEqual({ caseId: 'case-a', rule: 'structured_reference', reference: '0010008346912014' });
  });

  it('then a betalingskenmerk typed in the text, grouped or not, only with a valid check digit', async () => {
    expect(await matchLine(line({ freeText: ['huur juli 5000 0567 8901 2345'] }), cases)).toMatchObject({ caseId: 'case-b', rule: 'text_reference' });
    expect(await matchLine(line({ freeText: ['kenmerk 5000.0567.8901.2345'] }), cases)).toMatchObject({ caseId: 'case-b', rule: 'text_reference' });
    // One digit off: the check digit fails, so it is not read as a reference.
    expect(kenmerkenInText(['5000 0567 8901 2346'])).toEqual([]);
    expect(kenmerkenInText(['12345000056789012345'])).toEqual([]);
  });

  it('a structured reference we did not issue falls through to the next rules', async () => {
    expect(await matchLine(line({ structuredRef: { ref: '6390338414964113', issuer: 'CUR' }, counterIban: 'NL44RABO0123456789' }), cases)).toMatchObject({ caseId: 'case-c', rule: 'debtor_iban' });
  });

  it("then the debtor's IBAN, only when it belongs to exactly one open case", async () => {
    expect(await matchLine(line({ counterIban: 'NL44RABO0123456789' }), cases)).toMatchObject({ caseId: 'case-c', rule: 'debtor_iban' });
    expect(await matchLine(line({ counterIban: 'NL20INGB0001234567' }), cases)).toBeNull();
    expect(await matchLine(line({ counterIban: 'NL39RABO0300065264', freeText: ['gift'] }), cases)).toBeNull();
  });

  it("identifies a line by the bank's reference, else by a stable hash; identical lines in one file stay two", () => {
    const a = line({ entryRef: null, amount: '10.00' });
    const [first, second, other] = entryKeys([a, a, line({ entryRef: null, amount: '10.01' })]);
    expect(new Set([first, second, other]).size).toBe(3);
    expect(entryKeys([a, a])).toEqual([first, second]);
    expect(entryKeys([line({ entryRef: 'X', amount: '1.00' })])).toEqual(entryKeys([line({ entryRef: 'X', amount: '1.00', freeText: ['other'] })]));
  });
});
