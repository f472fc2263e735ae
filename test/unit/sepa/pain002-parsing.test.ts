import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recogniseFormat } from '../../../services/bank/statements/recognise-format.js';
import { BankFileRefused } from '../../../services/bank/xml/bank-file-refused.js';
import { parsePain002 } from '../../../services/bank/status-reports/parse-pain002.js';
import { paymentStatusReportFormat } from '../../../services/bank/status-reports/recognise-pain002.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/bank/${name}`, import.meta.url), 'utf8');
const v03 = fixture('pain002-001-03-partly-rejected.xml');
const v10 = fixture('pain002-001-10-partly-rejected.xml');

function refusal(xml: string): BankFileRefused {
  try {
    parsePain002(xml);
  } catch (error) {
    if (error instanceof BankFileRefused) return error;
    throw error;
  }
  throw new Error('the file was read');
}

/** Issue 12/13: the bank's status report on our pain.008 (interfaces.md §1.6). */
describe('reading a pain.002 status report', () => {
  it('tells a pain.002 apart by its namespace, and leaves camt recognition as it was', () => {
    expect(paymentStatusReportFormat(v03)).toBe('pain.002.001.03');
    expect(paymentStatusReportFormat(v10)).toBe('pain.002.001.10');
    const camt = fixture('camt053-001-02-mixed.xml');
    expect(paymentStatusReportFormat(camt)).toBeNull();
    expect(recogniseFormat(camt)).toBe('camt.053.001.02');
    expect(paymentStatusReportFormat('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.05"/>')).toBeNull();
    expect(paymentStatusReportFormat('not xml')).toBeNull();
  });

  it('reads a pain.002.001.03: the original message, group and batch statuses, a transaction rejected with AM04 and one accepted', () => {
    const report = parsePain002(v03);
    expect(report).toMatchObject({
      format: 'pain.002.001.03',
      messageId: '0630PSR00000982',
      originalMessageId: 'DD-2026-07-0001',
      originalMessageName: 'pain.008.001.02',
      groupStatus: 'PART',
      paymentInformation: [
        { originalPaymentInfoId: 'DD-2026-07-0001-RCUR', status: 'PART' },
        { originalPaymentInfoId: 'DD-2026-07-0001-FRST', status: 'ACCP' },
      ],
    });
    expect(report.transactions).toEqual([
      {
        originalPaymentInfoId: 'DD-2026-07-0001-RCUR',
        originalEndToEndId: 'ADV-000002-202607',
        originalInstructionId: '0001',
        status: 'RJCT',
        reasonCode: 'AM04',
        reasons: [{ code: 'AM04', proprietary: false, additionalInfo: [] }],
        originalInstructedAmount: '62.02',
        originalCollectionDate: '2026-07-01',
        originalMandateId: 'MND-000002',
      },
      expect.objectContaining({ originalEndToEndId: 'ADV-000003-202607', status: 'ACCP', reasonCode: null, originalInstructedAmount: '63.03' }),
      expect.objectContaining({
        originalEndToEndId: 'ADV-000004-202607',
        status: 'RJCT',
        reasonCode: 'SL01',
        reasons: [{ code: 'SL01', proprietary: true, additionalInfo: ['Incassoblokkade debiteur', '(selectieve blokkade)'] }],
        originalInstructedAmount: '120.00',
      }),
    ]);
    expect(typeof report.transactions[0]!.originalInstructedAmount).toBe('string');
  });

  it('reads a pain.002.001.10 the same way', () => {
    const report = parsePain002(v10);
    expect(report).toMatchObject({ format: 'pain.002.001.10', messageId: 'RABO-PSR-20260630-000417', originalMessageId: 'DD-2026-07-0001', originalMessageName: 'pain.008.001.08', groupStatus: 'PART' });
    expect(report.transactions.map((tx) => [tx.originalEndToEndId, tx.status, tx.reasonCode, tx.originalInstructedAmount, tx.originalMandateId])).toEqual([
      ['ADV-000002-202607', 'RJCT', 'AM04', '62.02', 'MND-000002'],
      ['ADV-000003-202607', 'ACCP', null, '63.03', 'MND-000003'],
    ]);
    expect(report.transactions[0]!.reasons[0]!.additionalInfo).toEqual(['Saldo ontoereikend']);
  });

  it('reads a whole file rejected at group level, and a transaction that takes its batch’s status', () => {
    const rejected = parsePain002(`<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
  <GrpHdr><MsgId>PSR-1</MsgId><CreDtTm>2026-06-30T05:00:00</CreDtTm></GrpHdr>
  <OrgnlGrpInfAndSts><OrgnlMsgId>DD-2026-07-0002</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId><GrpSts>RJCT</GrpSts>
    <StsRsnInf><Rsn><Cd>FF01</Cd></Rsn><AddtlInf>Invalid file format</AddtlInf></StsRsnInf></OrgnlGrpInfAndSts>
  <OrgnlPmtInfAndSts><OrgnlPmtInfId>DD-2026-07-0002-RCUR</OrgnlPmtInfId><PmtInfSts>RJCT</PmtInfSts>
    <TxInfAndSts><OrgnlEndToEndId>000123</OrgnlEndToEndId></TxInfAndSts></OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>`);
    expect(rejected.groupStatus).toBe('RJCT');
    expect(rejected.groupReasons).toEqual([{ code: 'FF01', proprietary: false, additionalInfo: ['Invalid file format'] }]);
    expect(rejected.transactions).toEqual([expect.objectContaining({ originalEndToEndId: '000123', status: 'RJCT', reasonCode: null })]);
  });

  it('refuses a malformed or incomplete file whole, naming where', () => {
    expect(refusal(v10.slice(0, v10.indexOf('</TxInfAndSts>')))).toMatchObject({ kind: 'malformed', message: expect.stringMatching(/not well-formed XML at line \d+/) });
    expect(refusal(v03.replace('<OrgnlEndToEndId>ADV-000003-202607</OrgnlEndToEndId>', ''))).toMatchObject({
      kind: 'malformed',
      where: { element: 'OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/OrgnlEndToEndId' },
    });
    expect(refusal(v03.replace('<OrgnlMsgId>DD-2026-07-0001</OrgnlMsgId>', ''))).toMatchObject({ where: { element: 'OrgnlGrpInfAndSts/OrgnlMsgId' } });
    expect(refusal(v03.replace('<InstdAmt Ccy="EUR">62.02</InstdAmt>', '<InstdAmt Ccy="EUR">62,02</InstdAmt>'))).toMatchObject({ message: expect.stringMatching(/"62,02", not a decimal amount/) });
    expect(refusal(v03.replace('<TxSts>ACCP</TxSts>', '<TxSts>accepted</TxSts>'))).toMatchObject({ where: { element: 'OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/TxSts' } });
    expect(refusal(v03.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]>'))).toMatchObject({ kind: 'malformed', where: { element: '!DOCTYPE' } });
    expect(refusal(fixture('camt053-001-02-mixed.xml'))).toMatchObject({ kind: 'unsupported' });
  });
});
