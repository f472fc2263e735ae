import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStatement } from '../../../services/bank/statements/parse-statement.js';
import { BankFileRefused } from '../../../services/bank/xml/bank-file-refused.js';
import { camtXml } from '../../support/camt-files.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/bank/${name}`, import.meta.url), 'utf8');

function refusal(xml: string): BankFileRefused {
  try {
    parseStatement(xml);
  } catch (error) {
    if (error instanceof BankFileRefused) return error;
    throw error;
  }
  throw new Error('the file was read');
}

/** Issue 12: bank files read strictly (interfaces.md §1.7–1.8). */
describe('reading camt bank files', () => {
  it('reads a camt.053.001.02 statement: amounts as written, references with their zeros, batches per transaction, reversals and return reasons', () => {
    const statement = parseStatement(fixture('camt053-001-02-mixed.xml'));
    expect(statement.format).toBe('camt.053.001.02');
    expect(statement.messageId).toBe('20260706-0001');
    expect(statement.accountIbans).toEqual(['NL91ABNA0417164300']);
    expect(statement.lines).toHaveLength(7);
    const [structured, typed, ibanOnly, unknown, batchA, batchB, refund] = statement.lines;
    expect(structured).toMatchObject({
      amount: '0812.35',
      currency: 'EUR',
      direction: 'CRDT',
      reversal: false,
      entryRef: '0706A1B2C3',
      bookingDate: '2026-07-06',
      bankTxCode: 'PMNT/RCDT/ESCT',
      structuredRef: { ref: '0010008346912014', issuer: 'CUR' },
      counterIban: 'NL44RABO0123456789',
      counterName: 'J. Jansen',
    });
    expect(typeof structured!.amount).toBe('string');
    expect(typed).toMatchObject({ amount: '400.00', structuredRef: null, freeText: ['huur juli kenmerk 5000 0567 8901 2345'] });
    expect(ibanOnly).toMatchObject({ amount: '250.00', counterIban: 'NL20INGB0001234567' });
    expect(unknown).toMatchObject({ amount: '99.95', entryRef: null });
    expect(batchA).toMatchObject({ amount: '600.00', txIndex: 0, entryRef: '0706BATCH1', batchPaymentInfoId: 'PMTINF-0706', endToEndId: 'E2E-0001', mandateId: 'MNDT-001', bankTxCode: 'PMNT/IDDT/ESDD' });
    expect(batchB).toMatchObject({ amount: '400.00', txIndex: 1, endToEndId: 'E2E-0002', counterIban: 'NL69INGB0123456789' });
    expect(refund).toMatchObject({ direction: 'DBIT', reversal: true, returnReason: 'MD06', bankTxCode: 'PMNT/IDDT/UPDD', counterIban: 'NL44RABO0123456789', bookingDate: '2026-07-08' });
  });

  it('reads camt.053.001.08: Sts/Cd, TxDtls/Amt, Dbtr/Pty and a booking date-time', () => {
    const statement = parseStatement(fixture('camt053-001-08-mixed.xml'));
    expect(statement.format).toBe('camt.053.001.08');
    expect(statement.lines.map((l) => [l.amount, l.status, l.bookingDate, l.structuredRef?.ref ?? null, l.counterName])).toEqual([
      ['812.35', 'BOOK', '2026-07-07', '6390338414964113', 'J. Jansen'],
      ['0700.10', 'BOOK', '2026-07-07', null, null],
      ['299.90', 'BOOK', '2026-07-07', null, null],
    ]);
    expect(statement.lines[2]!.freeText).toEqual(['0010008346912014']);
  });

  it("takes the tenant's side of a return that keeps the original roles (Dbtr in a debit)", () => {
    const statement = parseStatement(
      camtXml({
        entries: [{ amount: '10.00', direction: 'DBIT', reversal: true, bookingDate: '2026-07-08', ref: 'R9', txs: [{ returnReason: 'MD06', counterIban: 'NL44RABO0123456789', counterName: 'J. Jansen' }] }],
      }).replace(/<Cdtr>(.*?)<\/Cdtr><CdtrAcct>(.*?)<\/CdtrAcct>/, '<Dbtr>$1</Dbtr><DbtrAcct>$2</DbtrAcct><Cdtr><Nm>Woonstichting</Nm></Cdtr><CdtrAcct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></CdtrAcct>'),
    );
    expect(statement.lines[0]).toMatchObject({ counterIban: 'NL44RABO0123456789', counterName: 'J. Jansen', returnReason: 'MD06' });
  });

  it('reads camt.054 notifications of both versions', () => {
    for (const version of ['02', '08'] as const) {
      const statement = parseStatement(camtXml({ kind: '054', version, entries: [{ amount: '10.00', bookingDate: '2026-07-06', ref: 'R1', txs: [{ kenmerk: '0010008346912014' }] }] }));
      expect(statement.format).toBe(`camt.054.001.${version}`);
      expect(statement.lines[0]).toMatchObject({ amount: '10.00', structuredRef: { ref: '0010008346912014' } });
    }
  });

  it('recognises the namespace on a prefixed root element too', () => {
    const prefixed = camtXml({ entries: [{ amount: '1.00', bookingDate: '2026-07-06', ref: 'R' }] }).replace(/<(\/?)([A-Z][A-Za-z]*)/g, '<$1c:$2').replace('xmlns=', 'xmlns:c=');
    expect(parseStatement(prefixed)).toMatchObject({ format: 'camt.053.001.02', lines: [{ amount: '1.00', entryRef: 'R' }] });
  });

  it('refuses another kind of file with 415 naming what it found, and pain.002 as not supported yet', () => {
    expect(refusal('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"><CstmrDrctDbtInitn/></Document>')).toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/^pain\.008\.001\.02 is not a bank file read here/) });
    expect(refusal('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"/>')).toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/pain\.002\.001\.03 .* not supported yet/) });
    expect(refusal('<invoice><total>1</total></invoice>')).toMatchObject({ kind: 'unsupported', message: expect.stringContaining('<invoice> without a namespace') });
    expect(refusal('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.13"/>').message).toMatch(/^camt\.053\.001\.13 is not/);
  });

  it('refuses a broken file whole, naming the line and element', () => {
    const broken = fixture('camt053-001-02-mixed.xml').replace('<Amt Ccy="EUR">400.00</Amt>', '<Amt Ccy="EUR">400.00</Amnt>');
    const error = refusal(broken);
    expect(error.kind).toBe('malformed');
    expect(error.where.line).toBe(25);
    expect(error.where.element).toBe('Amt');
    expect(error.message).toMatch(/line 25/);
  });

  it('refuses an amount that is no decimal, a missing direction, and a DTD', () => {
    const ok = { bookingDate: '2026-07-06', ref: 'R1' };
    expect(refusal(camtXml({ entries: [{ ...ok, amount: '1,50' }] })).where.element).toBe('Stmt[1]/Ntry[1]/Amt');
    expect(refusal(camtXml({ entries: [{ ...ok, amount: '1.50' }] }).replace('<CdtDbtInd>CRDT</CdtDbtInd>', '')).where.element).toBe('Stmt[1]/Ntry[1]/CdtDbtInd');
    const withDtd = camtXml({ entries: [{ ...ok, amount: '1.50' }] }).replace('<Document', '<!DOCTYPE Document [<!ENTITY x "y">]><Document');
    expect(refusal(withDtd).kind).toBe('malformed');
  });
});
