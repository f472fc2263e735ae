import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildPain008 } from '../../../services/bank/pain008/build-pain008.js';
import type { CollectionFile, Pain008Version } from '../../../services/bank/pain008/collection-file.js';
import { Pain008InputRefused } from '../../../services/bank/pain008/pain008-errors.js';
import { SepaIdRefused } from '../../../shared/sepa/sepa-characters.js';
import { testCollectionFile, testDebit, testDebits } from '../../support/collection-files.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['PmtInf', 'DrctDbtTxInf', 'AdrLine'].includes(name) });
type Tree = Record<string, any>;
const read = (xml: string): Tree => parser.parse(xml).Document.CstmrDrctDbtInitn;
const versions: readonly Pain008Version[] = ['pain.008.001.02', 'pain.008.001.08'];

const address = { streetName: 'Dorpsstraat', buildingNumber: '1-A', postCode: '1234 AB', townName: 's-Hertogenbosch', country: 'NL' };

/** Issue 13: the pain.008 a collection run sends (interfaces.md §1.3). */
describe('building a pain.008', () => {
  it.each(versions)('%s: SEPA Core, the creditor identifier with Prtry SEPA, SLEV, the namespace of the version', (version) => {
    const doc = read(buildPain008(testCollectionFile(testDebits(2)), version));
    const batch = doc.PmtInf[0];
    expect(buildPain008(testCollectionFile(testDebits(1)), version)).toContain(`xmlns="urn:iso:std:iso:20022:tech:xsd:${version}"`);
    expect(batch).toMatchObject({
      PmtInfId: 'DD-2026-07-0001-RCUR',
      PmtMtd: 'DD',
      BtchBookg: 'true',
      PmtTpInf: { SvcLvl: { Cd: 'SEPA' }, LclInstrm: { Cd: 'CORE' }, SeqTp: 'RCUR' },
      ReqdColltnDt: '2026-07-01',
      ChrgBr: 'SLEV',
      CdtrSchmeId: { Id: { PrvtId: { Othr: { Id: 'NL69ZZZ123456780000', SchmeNm: { Prtry: 'SEPA' } } } } },
    });
    expect(doc.GrpHdr.CreDtTm).toBe('2026-06-20T09:30:00Z');
    expect(batch.DrctDbtTxInf[0]).toMatchObject({
      PmtId: { EndToEndId: 'ADV-000001-202607' },
      InstdAmt: { '@Ccy': 'EUR', '#text': '61.01' },
      DrctDbtTx: { MndtRltdInf: { MndtId: 'MND-000001', DtOfSgntr: '2025-01-15', AmdmntInd: 'false' } },
      RmtInf: { Ustrd: 'Voorschot servicekosten juli 2026 woning 000001' },
    });
  });

  it('names a bank by BIC in .02 and BICFI in .08, and writes Othr/Id NOTPROVIDED without one', () => {
    const file = testCollectionFile([testDebit(1, { debtor: { name: 'A', iban: 'NL44RABO0123456789', bic: 'RABONL2U' } }), testDebit(2)]);
    const v02 = read(buildPain008(file, 'pain.008.001.02')).PmtInf[0];
    const v08 = read(buildPain008(file, 'pain.008.001.08')).PmtInf[0];
    expect(v02.CdtrAgt.FinInstnId).toEqual({ BIC: 'ABNANL2A' });
    expect(v08.CdtrAgt.FinInstnId).toEqual({ BICFI: 'ABNANL2A' });
    expect(v02.DrctDbtTxInf[0].DbtrAgt.FinInstnId).toEqual({ BIC: 'RABONL2U' });
    expect(v08.DrctDbtTxInf[0].DbtrAgt.FinInstnId).toEqual({ BICFI: 'RABONL2U' });
    for (const batch of [v02, v08]) expect(batch.DrctDbtTxInf[1].DbtrAgt.FinInstnId).toEqual({ Othr: { Id: 'NOTPROVIDED' } });
  });

  it('computes NbOfTxs and CtrlSum exactly, per batch and for the group (3 × 0.10 is 0.30, not 0.30000000000000004)', () => {
    const tenCents = (n: number) => testDebit(n, { amount: '0.10' });
    const file = testCollectionFile([], {
      batches: [
        { paymentInfoId: 'B-FRST', collectionDate: '2026-07-01', sequenceType: 'FRST', batchBooking: true, debits: [tenCents(1), tenCents(2), tenCents(3)] },
        { paymentInfoId: 'B-RCUR', collectionDate: '2026-07-01', sequenceType: 'RCUR', batchBooking: false, debits: [testDebit(4, { amount: '0.20' }), testDebit(5, { amount: '999999999.99' }), testDebit(6, { amount: '0.7' })] },
      ],
    });
    expect(0.1 + 0.1 + 0.1).not.toBe(0.3);
    for (const version of versions) {
      const doc = read(buildPain008(file, version));
      expect(doc.PmtInf.map((b: Tree) => [b.NbOfTxs, b.CtrlSum])).toEqual([['3', '0.30'], ['3', '1000000000.89']]);
      expect([doc.GrpHdr.NbOfTxs, doc.GrpHdr.CtrlSum]).toEqual(['6', '1000000001.19']);
      expect(doc.PmtInf[1].DrctDbtTxInf[2].InstdAmt['#text']).toBe('0.70');
    }
  });

  it('flags a mandate amendment: the original mandate id, the original IBAN at the same bank, SMNDA for a new bank', () => {
    const amended = (n: number, amendment: NonNullable<Parameters<typeof testDebit>[1]>['mandate']) => testDebit(n, { mandate: amendment });
    const file = testCollectionFile([
      amended(1, { mandateId: 'MND-NEW-1', signedOn: '2026-05-01', amendment: { originalMandateId: 'MND-OLD-1' } }),
      amended(2, { mandateId: 'MND-000002', signedOn: '2025-01-15', amendment: { originalDebtorIban: 'NL44RABO0123456789' } }),
      amended(3, { mandateId: 'MND-000003', signedOn: '2025-01-15', amendment: { changedBank: true, originalDebtorIban: 'NL44RABO0123456789' } }),
    ]);
    for (const version of versions) {
      const [byId, byAccount, byBank] = read(buildPain008(file, version)).PmtInf[0].DrctDbtTxInf.map((tx: Tree) => tx.DrctDbtTx.MndtRltdInf);
      expect(byId).toEqual({ MndtId: 'MND-NEW-1', DtOfSgntr: '2026-05-01', AmdmntInd: 'true', AmdmntInfDtls: { OrgnlMndtId: 'MND-OLD-1' } });
      expect(byAccount).toMatchObject({ AmdmntInd: 'true', AmdmntInfDtls: { OrgnlDbtrAcct: { Id: { IBAN: 'NL44RABO0123456789' } } } });
      // A new bank is SMNDA alone: the rulebook has the original account only for a change within the same bank.
      expect(byBank).toMatchObject({ AmdmntInd: 'true', AmdmntInfDtls: { OrgnlDbtrAgt: { FinInstnId: { Othr: { Id: 'SMNDA' } } } } });
      expect(byBank.AmdmntInfDtls.OrgnlDbtrAcct).toBeUndefined();
    }
  });

  it('writes a structured address in .08 and two address lines in .02', () => {
    const file = testCollectionFile([testDebit(1, { debtor: { name: 'Ærtsen', iban: 'NL44RABO0123456789', address } })], {
      creditor: { name: 'Energiediensten Zuid B.V.', iban: 'NL91ABNA0417164300', creditorIdentifier: 'NL69ZZZ123456780000', address: { townName: 'Tilburg', country: 'NL' } },
    });
    const v08 = read(buildPain008(file, 'pain.008.001.08')).PmtInf[0];
    expect(v08.DrctDbtTxInf[0].Dbtr).toEqual({ Nm: 'AErtsen', PstlAdr: { StrtNm: 'Dorpsstraat', BldgNb: '1-A', PstCd: '1234 AB', TwnNm: 's-Hertogenbosch', Ctry: 'NL' } });
    expect(v08.Cdtr.PstlAdr).toEqual({ TwnNm: 'Tilburg', Ctry: 'NL' });
    const v02 = read(buildPain008(file, 'pain.008.001.02')).PmtInf[0];
    expect(v02.DrctDbtTxInf[0].Dbtr.PstlAdr).toEqual({ Ctry: 'NL', AdrLine: ['Dorpsstraat 1-A', '1234 AB s-Hertogenbosch'] });
    expect(v02.Cdtr.PstlAdr).toEqual({ Ctry: 'NL', AdrLine: ['Tilburg'] });
  });

  it('transliterates names and remittance text and cuts them to 70 and 140', () => {
    const file = testCollectionFile([testDebit(1, { debtor: { name: `Öztürk-Çelik Žofie ${'x'.repeat(80)}`, iban: 'NL44RABO0123456789' }, remittance: `Voorschot € juli — ${'y'.repeat(200)}` })], {
      initiatingPartyName: 'Wooncoöperatie Één & Twee',
    });
    const doc = read(buildPain008(file, 'pain.008.001.08'));
    const tx = doc.PmtInf[0].DrctDbtTxInf[0];
    expect(tx.Dbtr.Nm).toMatch(/^Ozturk-Celik Zofie x+$/);
    expect(tx.Dbtr.Nm).toHaveLength(70);
    expect(tx.RmtInf.Ustrd).toMatch(/^Voorschot juli - y+$/);
    expect(tx.RmtInf.Ustrd).toHaveLength(140);
    expect(doc.GrpHdr.InitgPty.Nm).toBe('Wooncooperatie Een + Twee');
  });

  it('refuses ids that are not SEPA-safe rather than changing them', () => {
    const refused = (file: CollectionFile) => () => buildPain008(file, 'pain.008.001.08');
    expect(refused(testCollectionFile([testDebit(1, { endToEndId: 'ADV 000001' })]))).toThrow(SepaIdRefused);
    expect(refused(testCollectionFile([testDebit(1, { mandate: { mandateId: 'MND-Ø1', signedOn: '2025-01-15' } })]))).toThrow(/MndtId|mandateId/);
    expect(refused(testCollectionFile([testDebit(1, { mandate: { mandateId: '', signedOn: '2025-01-15' } })]))).toThrow(SepaIdRefused);
    expect(refused(testCollectionFile([testDebit(1)], { messageId: `DD-${'9'.repeat(33)}` }))).toThrow(SepaIdRefused);
    expect(refused(testCollectionFile([testDebit(1, { mandate: { mandateId: 'M1', signedOn: '2025-01-15', amendment: { originalMandateId: 'M//0' } } })]))).toThrow(SepaIdRefused);
  });

  it('refuses input the bank would refuse: a non-TARGET2 date, sub-cent or zero amounts, a repeated end-to-end id, a wrong creditor identifier', () => {
    const refused = (file: CollectionFile) => () => buildPain008(file, 'pain.008.001.02');
    const onDate = (collectionDate: string) => testCollectionFile([testDebit(1)], { batches: [{ paymentInfoId: 'B1', collectionDate, sequenceType: 'RCUR', batchBooking: true, debits: [testDebit(1)] }] });
    expect(refused(onDate('2026-04-03'))).toThrow(Pain008InputRefused);
    expect(refused(onDate('2026-04-03'))).toThrow(/TARGET2/);
    expect(refused(onDate('2026-07-04'))).toThrow(/TARGET2/);
    expect(() => buildPain008(onDate('2026-04-27'), 'pain.008.001.02')).not.toThrow();
    expect(refused(testCollectionFile([testDebit(1, { amount: '0.001' })]))).toThrow(/batches\[0\]\.debits\[0\]\.amount/);
    expect(refused(testCollectionFile([testDebit(1, { amount: '0.00' })]))).toThrow(Pain008InputRefused);
    expect(refused(testCollectionFile([testDebit(1, { amount: '1000000000.00' })]))).toThrow(/largest SEPA debit/);
    expect(refused(testCollectionFile([testDebit(1), testDebit(1)]))).toThrow(/ADV-000001-202607 is used twice/);
    expect(refused(testCollectionFile([testDebit(1)], { creditor: { name: 'ING sample', iban: 'NL91ABNA0417164300', creditorIdentifier: 'NL89ZZZ011234567890' } }))).toThrow(/check digits/);
    expect(refused(testCollectionFile([], { batches: [] }))).toThrow(/at least one batch/);
  });
});
