import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeBetalingskenmerk } from '../../../shared/bank/betalingskenmerk.js';
import { isValidRfReference, makeRfReference, rfBody, rfReferencesInText } from '../../../shared/bank/rf-reference.js';
import { matchLine, referenceKeys, type CaseLookup } from '../../../services/bank/matching/match-line.js';
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

/** ISO 11649 creditor references (issue 12): made, checked, and read back by the matcher. */
describe('RF creditor references', () => {
  it('computes the check digits of the published examples', () => {
    // interfaces.md §1.9, the ISO 11649 example RF18 5390 0754 7034 (and its form with leading zeros).
    expect(makeRfReference('539007547034')).toBe('RF18539007547034');
    expect(makeRfReference('000000000539007547034')).toBe('RF18000000000539007547034');
    expect(makeRfReference('a1b2')).toMatch(/^RF\d{2}A1B2$/);
    expect(isValidRfReference('RF18539007547034')).toBe(true);
    expect(isValidRfReference('rf18 5390 0754 7034')).toBe(true);
  });

  it('refuses a wrong check digit, a wrong shape and a body over 21 characters', () => {
    expect(isValidRfReference('RF19539007547034')).toBe(false);
    expect(isValidRfReference('RF18539007547035')).toBe(false);
    expect(isValidRfReference('RF18')).toBe(false);
    expect(isValidRfReference('XX18539007547034')).toBe(false);
    expect(isValidRfReference('RF18-5390')).toBe(false);
    expect(() => makeRfReference('1234567890123456789012')).toThrow(/1 to 21/);
    expect(isValidRfReference(`RF00${'1'.repeat(22)}`)).toBe(false);
    expect(rfBody('RF18539007547034')).toBe('539007547034');
    expect(rfBody('RF19539007547034')).toBeNull();
  });

  it('every body makes a valid reference, and any one digit typed wrong is caught (mod 97-10)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{1,21}$/), fc.nat(), fc.constantFrom(...'0123456789'), (body, at, replacement) => {
        const rf = makeRfReference(body);
        expect(isValidRfReference(rf)).toBe(true);
        expect(rfBody(rf)).toBe(body);
        const i = 2 + (at % (rf.length - 2));
        if (rf[i] === replacement || !/\d/.test(rf[i]!)) return;
        expect(isValidRfReference(`${rf.slice(0, i)}${replacement}${rf.slice(i + 1)}`)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds references typed in free text, grouped or not, ending where the check digits say', () => {
    expect(rfReferencesInText(['huur RF18 5390 0754 7034 december'])).toEqual(['RF18539007547034']);
    expect(rfReferencesInText(['kenmerk:rf18539007547034.'])).toEqual(['RF18539007547034']);
    expect(rfReferencesInText(['RF19 5390 0754 7034', 'XRF18539007547034'])).toEqual([]);
    expect(rfReferencesInText(['RF18539007547034 en RF18 5390 0754 7034'])).toEqual(['RF18539007547034']);
  });
});

describe('matching a line by an RF reference', () => {
  const ours = makeBetalingskenmerk('500000000000123');
  const wrapped = makeRfReference(ours);
  const issuedAsRf = makeRfReference('HC2026000123');
  const cases: CaseLookup = {
    caseOfReference: async (r) => ({ [ours]: 'case-kenmerk', [issuedAsRf]: 'case-rf' })[r] ?? null,
    openCasesOfIban: async (i) => (i === 'NL44RABO0123456789' ? ['case-iban'] : []),
  };

  it('reads an RF reference as itself, and one wrapping our betalingskenmerk as that kenmerk', () => {
    expect(referenceKeys(wrapped)).toEqual([wrapped, ours]);
    expect(referenceKeys(issuedAsRf)).toEqual([issuedAsRf]);
    expect(referenceKeys(ours)).toEqual([ours]);
    expect(referenceKeys('RF00123')).toEqual([]);
  });

  it('takes a structured RF reference (issuer ISO) before the text and the IBAN', async () => {
    const matched = await matchLine(line({ structuredRef: { ref: wrapped, issuer: 'ISO' }, freeText: [issuedAsRf], counterIban: 'NL44RABO0123456789' }), cases);
    expect(matched).toEqual({ caseId: 'case-kenmerk', rule: 'structured_reference', reference: ours });
    expect(await matchLine(line({ structuredRef: { ref: issuedAsRf, issuer: 'ISO' } }), cases)).toEqual({ caseId: 'case-rf', rule: 'structured_reference', reference: issuedAsRf });
  });

  it('then one typed in the free text, after a betalingskenmerk typed there', async () => {
    const spaced = wrapped.replace(/(.{4})(?=.)/g, '$1 ');
    expect(await matchLine(line({ freeText: [`huur ${spaced}`], counterIban: 'NL44RABO0123456789' }), cases)).toEqual({ caseId: 'case-kenmerk', rule: 'text_reference', reference: ours });
    expect(await matchLine(line({ freeText: [`${issuedAsRf} ${ours}`] }), cases)).toMatchObject({ caseId: 'case-kenmerk', rule: 'text_reference' });
  });

  it('an RF reference with a wrong check digit, or one we never issued, falls through to the IBAN', async () => {
    const broken = `${wrapped.slice(0, -1)}${wrapped.endsWith('1') ? '2' : '1'}`;
    expect(await matchLine(line({ structuredRef: { ref: broken, issuer: 'ISO' }, counterIban: 'NL44RABO0123456789' }), cases)).toMatchObject({ caseId: 'case-iban', rule: 'debtor_iban' });
    expect(await matchLine(line({ structuredRef: { ref: makeRfReference('NOTOURS'), issuer: 'ISO' } }), cases)).toBeNull();
  });
});
