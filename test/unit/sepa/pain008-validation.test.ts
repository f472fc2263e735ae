import { isValidIBAN } from 'ibantools';
import { describe, expect, it } from 'vitest';
import { buildPain008 } from '../../../services/bank/pain008/build-pain008.js';
import { checkSepaRules } from '../../../services/bank/pain008/check-sepa-rules.js';
import type { Pain008Version } from '../../../services/bank/pain008/collection-file.js';
import { Pain008Refused, assertReleasablePain008, buildValidatedPain008 } from '../../../services/bank/pain008/validated-pain008.js';
import { validateAgainstSchema } from '../../../services/bank/xsd/validate-xml.js';
import { isValidCreditorIdentifier } from '../../../shared/sepa/creditor-identifier.js';
import { testCollectionFile, testCreditor, testDebit, testDebits } from '../../support/collection-files.js';

const versions: readonly Pain008Version[] = ['pain.008.001.02', 'pain.008.001.08'];

/** A run with what a real one holds: two sequence types, an amendment of each kind, addresses, debtors with and without BIC. */
function realisticFile() {
  return testCollectionFile([], {
    creditor: { ...testCreditor, address: { streetName: 'Stationsplein', buildingNumber: '10', postCode: '5038 AA', townName: 'Tilburg', country: 'NL' } },
    batches: [
      {
        paymentInfoId: 'DD-2026-07-0001-FRST',
        collectionDate: '2026-07-01',
        sequenceType: 'FRST',
        batchBooking: true,
        debits: [testDebit(1, { debtor: { name: 'Öztürk-Çelik Žofie', iban: 'NL44RABO0123456789', bic: 'RABONL2U', address: { streetName: 'Dorpsstraat', buildingNumber: '1', postCode: '1234 AB', townName: 'Utrecht', country: 'NL' } } })],
      },
      {
        paymentInfoId: 'DD-2026-07-0001-RCUR',
        collectionDate: '2026-07-01',
        sequenceType: 'RCUR',
        batchBooking: false,
        debits: [
          testDebit(2),
          testDebit(3, { mandate: { mandateId: 'MND-000003-B', signedOn: '2026-05-20', amendment: { originalMandateId: 'MND-000003' } } }),
          testDebit(4, { mandate: { mandateId: 'MND-000004', signedOn: '2025-01-15', amendment: { originalDebtorIban: 'NL44RABO0123456789' } } }),
          testDebit(5, { mandate: { mandateId: 'MND-000005', signedOn: '2025-01-15', amendment: { changedBank: true } } }),
        ],
      },
    ],
  });
}

/** Issue 13: a pain.008 is checked against the official XSD before it leaves, and a file that fails never does. */
describe('validating a pain.008 against the official schema', () => {
  it('the test data is what a bank would take: valid IBANs and a creditor identifier with valid check digits', () => {
    expect(isValidCreditorIdentifier(testCreditor.creditorIdentifier)).toBe(true);
    const ibans = realisticFile().batches.flatMap((b) => b.debits.map((d) => d.debtor.iban));
    for (const iban of [testCreditor.iban, ...ibans, ...testDebits(50).map((d) => d.debtor.iban)]) expect(isValidIBAN(iban), iban).toBe(true);
  });

  it.each(versions)('%s: a realistic run validates against its XSD, and buildValidatedPain008 releases it', async (version) => {
    const xml = buildPain008(realisticFile(), version);
    expect(await validateAgainstSchema(xml, version)).toEqual({ valid: true, errors: [] });
    expect(await buildValidatedPain008(realisticFile(), version)).toBe(xml);
  });

  it('a .08 file is not a valid .02 file: the schema of the version is the one used', async () => {
    const xml = buildPain008(realisticFile(), 'pain.008.001.08');
    const asV02 = await validateAgainstSchema(xml.replace('pain.008.001.08', 'pain.008.001.02'), 'pain.008.001.02');
    expect(asV02.valid).toBe(false);
    expect(asV02.errors.join('\n')).toMatch(/BICFI/);
  });

  it('refuses a file the schema refuses, with the validator’s messages: nothing is released', async () => {
    // A country written out instead of its ISO code passes the builder but not the schema.
    const file = testCollectionFile([testDebit(1, { debtor: { name: 'A', iban: 'NL44RABO0123456789', address: { townName: 'Utrecht', country: 'Nederland' } } })]);
    for (const version of versions) {
      const refusal = await buildValidatedPain008(file, version).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(Pain008Refused);
      expect((refusal as Pain008Refused).errors.join('\n')).toMatch(/line \d+: Element 'Ctry': .*'Nederland'/);
    }
  });

  it('refuses a file without an end-to-end id (the schema) and one without a mandate id (the rulebook, optional in the schema)', async () => {
    const xml = buildPain008(realisticFile(), 'pain.008.001.08');
    const noEndToEnd = xml.replace(/<EndToEndId>ADV-000002-202607<\/EndToEndId>/, '');
    const schema = await validateAgainstSchema(noEndToEnd, 'pain.008.001.08');
    expect(schema.valid).toBe(false);
    expect(schema.errors.join('\n')).toMatch(/EndToEndId/);

    const noMandateId = xml.replace(/<MndtId>MND-000002<\/MndtId>/, '');
    expect(noMandateId).not.toBe(xml);
    expect((await validateAgainstSchema(noMandateId, 'pain.008.001.08')).valid).toBe(true);
    await expect(assertReleasablePain008(noMandateId, 'pain.008.001.08')).rejects.toThrow(/DrctDbtTxInf\[1\] has no MndtRltdInf\/MndtId/);
  });

  it('refuses a file whose control sum or count was tampered with, which the schema alone lets through', async () => {
    for (const version of versions) {
      const xml = buildPain008(testCollectionFile(testDebits(3)), version);
      expect(checkSepaRules(xml)).toEqual([]);
      const groupSum = xml.replace(/(<GrpHdr>[\s\S]*?<CtrlSum>)([\d.]+)/, (_, head: string) => `${head}186.07`);
      expect((await validateAgainstSchema(groupSum, version)).valid).toBe(true);
      await expect(assertReleasablePain008(groupSum, version)).rejects.toThrow(/GrpHdr\/CtrlSum is 186.07, the transactions add up to 186.06/);
      const batchCount = xml.replace(/(<PmtInf>[\s\S]*?<NbOfTxs>)3/, (_, head: string) => `${head}2`);
      expect(checkSepaRules(batchCount)).toEqual(['PmtInf[1]/NbOfTxs is 2, the file holds 3 transactions']);
      // Three decimals that round to the right sum are still wrong.
      const subCent = xml.replace(/(<GrpHdr>[\s\S]*?<CtrlSum>)([\d.]+)/, (_, head: string) => `${head}186.061`);
      expect(checkSepaRules(subCent)).toEqual(['GrpHdr/CtrlSum is 186.061, the transactions add up to 186.06']);
    }
  });

  it('validates a run larger than xmllint-wasm holds in its default memory as a tree (3,000 debits)', async () => {
    const xml = buildPain008(testCollectionFile(testDebits(3000)), 'pain.008.001.08');
    expect(await validateAgainstSchema(xml, 'pain.008.001.08')).toEqual({ valid: true, errors: [] });
  });

  it('checks the sums of a file written with a namespace prefix too', () => {
    const xml = buildPain008(testCollectionFile(testDebits(3)), 'pain.008.001.02');
    const prefixed = xml.replace(/<(\/?)([A-Z])/g, '<$1p:$2').replace('xmlns=', 'xmlns:p=');
    expect(prefixed).toContain('<p:CtrlSum>186.06</p:CtrlSum>');
    expect(checkSepaRules(prefixed)).toEqual([]);
    expect(checkSepaRules(prefixed.replace('<p:CtrlSum>186.06', '<p:CtrlSum>186.60'))).toEqual(['GrpHdr/CtrlSum is 186.60, the transactions add up to 186.06']);
    expect(checkSepaRules(prefixed.replace(/<p:DtOfSgntr>[^<]*<\/p:DtOfSgntr>/, ''))).toEqual(['PmtInf[1]/DrctDbtTxInf[1] has no MndtRltdInf/DtOfSgntr, which SEPA Core requires on every debit']);
  });

  it('answers not-well-formed XML as invalid rather than throwing', async () => {
    const result = await validateAgainstSchema('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"><CstmrDrctDbtInitn>', 'pain.008.001.02');
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/failed to parse/);
    expect(result.errors.join('\n')).not.toMatch(/validates/);
  });

  it('has the pain.001 schemas for payouts loaded and working', async () => {
    for (const schema of ['pain.001.001.03', 'pain.001.001.09'] as const) {
      const result = await validateAgainstSchema(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${schema}"><CstmrCdtTrfInitn/></Document>`, schema);
      expect(result.valid).toBe(false);
      expect(result.errors.join('\n')).toMatch(/CstmrCdtTrfInitn.*Missing child element/);
    }
  });
});
