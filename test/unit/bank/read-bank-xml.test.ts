import { describe, expect, it } from 'vitest';
import { parseStatement } from '../../../services/bank/statements/parse-statement.js';
import { BankFileRefused } from '../../../services/bank/xml/bank-file-refused.js';
import { parsePain002 } from '../../../services/bank/status-reports/parse-pain002.js';
import { camtXml } from '../../support/camt-files.js';

function refusal(read: () => unknown): BankFileRefused {
  try {
    read();
  } catch (error) {
    if (error instanceof BankFileRefused) return error;
    throw error;
  }
  throw new Error('the file was read');
}

const ok = { bookingDate: '2026-07-06', ref: 'R1' };
const oneLine = (amount = '12.50') => camtXml({ entries: [{ ...ok, amount, txs: [{ kenmerk: '0010008346912014', counterIban: 'NL44RABO0123456789', ustrd: ['huur'] }] }] });
const lineOf = (xml: string, needle: string) => xml.slice(0, xml.indexOf(needle)).split('\n').length;

/** Issue 12: the one reader of bank XML (services/bank/xml/read-bank-xml.ts), one strict streaming pass. */
describe('reading bank XML strictly', () => {
  it('keeps leading zeros of references and amounts, and reads the amount as the string the bank wrote', () => {
    const xml = camtXml({ entries: [{ ...ok, amount: '0007.10', ref: '000123', txs: [{ kenmerk: '0000000000000000', endToEndId: '000042', ustrd: ['0010 0083 4691 2014'] }] }] });
    expect(parseStatement(xml).lines[0]).toMatchObject({ amount: '0007.10', entryRef: '000123', endToEndId: '000042', structuredRef: { ref: '0000000000000000' }, freeText: ['0010 0083 4691 2014'] });
  });

  it('refuses an amount below the cent, naming the element', () => {
    const error = refusal(() => parseStatement(oneLine('12.505')));
    expect(error).toMatchObject({ kind: 'malformed', where: { element: 'Stmt[1]/Ntry[1]/Amt' } });
    expect(error.message).toMatch(/"12\.505", not a decimal amount/);
    const txLevel = oneLine().replace('<TxAmt><Amt Ccy="EUR">12.50</Amt>', '<TxAmt><Amt Ccy="EUR">12.501</Amt>');
    expect(refusal(() => parseStatement(txLevel)).where.element).toBe('Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]/Amt');
  });

  it('refuses a file that is not well-formed whole, with its line and the element', () => {
    const xml = oneLine();
    const unclosed = xml.replace('<CdtDbtInd>CRDT</CdtDbtInd>', '<CdtDbtInd>CRDT');
    const error = refusal(() => parseStatement(unclosed));
    expect(error.kind).toBe('malformed');
    // Found where </Ntry> comes while <CdtDbtInd> is still open: that line, and the element left open.
    expect(error.where).toEqual({ line: lineOf(unclosed, '</Ntry>'), element: 'CdtDbtInd' });
    expect(error.message).toMatch(new RegExp(`^not well-formed XML at line ${lineOf(unclosed, '</Ntry>')}, column \\d+: `));
    // Cut off mid-file: the elements left open are what is wrong.
    expect(refusal(() => parseStatement(xml.slice(0, xml.indexOf('</Ntry>'))))).toMatchObject({ kind: 'malformed', where: { element: expect.stringMatching(/^(Ntry|Stmt|BkToCstmrStmt|Document)$/) } });
    // An ampersand that starts no entity, an attribute without quotes, a second root.
    expect(refusal(() => parseStatement(xml.replace('<Ustrd>huur', '<Ustrd>huur & kosten'))).where.line).toBe(lineOf(xml, '<Ustrd>'));
    expect(refusal(() => parseStatement(xml.replace('Ccy="EUR"', 'Ccy=EUR'))).kind).toBe('malformed');
    expect(refusal(() => parseStatement(`${xml}<Document/>`)).kind).toBe('malformed');
  });

  it('refuses a document type declaration, and an entity no DTD may define', () => {
    const xml = oneLine();
    const withDtd = xml.replace('<Document', '<!DOCTYPE Document [<!ENTITY kenmerk "0010008346912014">]>\n<Document');
    expect(refusal(() => parseStatement(withDtd))).toMatchObject({ kind: 'malformed', where: { line: 2, element: '!DOCTYPE' } });
    const entity = xml.replace('<Ustrd>huur', '<Ustrd>&kenmerk;');
    expect(refusal(() => parseStatement(entity))).toMatchObject({ kind: 'malformed', message: expect.stringMatching(/undefined entity/) });
  });

  it('is namespace aware: an unbound prefix is refused, an element of another namespace is not read as the message', () => {
    const xml = oneLine();
    expect(refusal(() => parseStatement(xml.replace('<Ustrd>huur</Ustrd>', '<x:Ustrd>huur</x:Ustrd>'))).kind).toBe('malformed');
    const foreign = xml.replace('<Ustrd>huur</Ustrd>', '<Ustrd>huur</Ustrd><Ustrd xmlns="urn:example:other">geen huur</Ustrd>');
    expect(parseStatement(foreign).lines[0]!.freeText).toEqual(['huur']);
  });

  it('reads text the way XML means it: entities and character references resolved, CDATA as text', () => {
    const xml = oneLine().replace('<Ustrd>huur</Ustrd>', '<Ustrd>huur &amp; servicekosten &#8364;</Ustrd><Ustrd><![CDATA[kenmerk <5000 0567>]]></Ustrd>');
    expect(parseStatement(xml).lines[0]!.freeText).toEqual(['huur & servicekosten €', 'kenmerk <5000 0567>']);
  });

  it('reads a file of several statements entry by entry, each line with its own account, and names a fault by statement and entry', () => {
    const first = camtXml({ entries: [{ ...ok, amount: '1.00', ref: 'A1' }, { ...ok, amount: '2.00', ref: 'A2' }] });
    const second = camtXml({ accountIban: 'NL20INGB0001234567', entries: [{ ...ok, amount: '3.00', ref: 'B1' }] });
    const statementOf = (xml: string) => xml.slice(xml.indexOf('<Stmt>'), xml.indexOf('</Stmt>') + '</Stmt>'.length);
    const both = first.replace('</Stmt>', `</Stmt>${statementOf(second)}`);
    const statement = parseStatement(both);
    expect(statement.accountIbans).toEqual(['NL91ABNA0417164300', 'NL20INGB0001234567']);
    expect(statement.lines.map((line) => [line.accountIban, line.entryRef, line.amount])).toEqual([
      ['NL91ABNA0417164300', 'A1', '1.00'],
      ['NL91ABNA0417164300', 'A2', '2.00'],
      ['NL20INGB0001234567', 'B1', '3.00'],
    ]);
    expect(refusal(() => parseStatement(both.replace('<Amt Ccy="EUR">3.00</Amt>', '<Amt Ccy="EUR">3.001</Amt>'))).where.element).toBe('Stmt[2]/Ntry[1]/Amt');
    expect(refusal(() => parseStatement(both.replace('<IBAN>NL20INGB0001234567</IBAN>', ''))).where.element).toBe('Stmt[2]/Acct/Id/IBAN');
  });

  it('refuses a pain.002 that is not well-formed the same way, with line and element', () => {
    const xml = `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
  <GrpHdr><MsgId>PSR-1</MsgId></GrpHdr>
  <OrgnlGrpInfAndSts><OrgnlMsgId>DD-1</OrgnlMsgId></OrgnlGrpInf>
</CstmrPmtStsRpt></Document>`;
    expect(refusal(() => parsePain002(xml))).toMatchObject({ kind: 'malformed', where: { line: 4, element: 'OrgnlGrpInfAndSts' } });
  });
});
