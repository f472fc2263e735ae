import { at, bankAmount, list, node, readBankXml, text, textAt, type XmlNode as Node } from '../xml/read-bank-xml.js';
import { BankFileRefused } from '../xml/bank-file-refused.js';
import { type ParsedStatement, type StatementFormat, type StatementLine } from './statement-entry.js';

/** Elements that may repeat: always arrays, so one occurrence reads like many. */
const repeating = new Set(['NtryDtls', 'TxDtls', 'Ustrd', 'Strd', 'CdtrRefInf']);
/** Every element this reader looks at; the rest of a file (balances, codes, addresses) is checked, not built. */
const read = new Set([
  ...['Document', 'BkToCstmrStmt', 'BkToCstmrDbtCdtNtfctn', 'GrpHdr', 'MsgId', 'Stmt', 'Ntfctn', 'Acct', 'Id', 'IBAN'],
  ...['Ntry', 'Amt', 'CdtDbtInd', 'RvslInd', 'Sts', 'Cd', 'BookgDt', 'ValDt', 'Dt', 'DtTm', 'AcctSvcrRef', 'BkTxCd', 'Domn', 'Fmly', 'SubFmlyCd', 'Prtry', 'AddtlNtryInf'],
  ...['NtryDtls', 'Btch', 'PmtInfId', 'TxDtls', 'Refs', 'EndToEndId', 'MndtId', 'AmtDtls', 'TxAmt', 'RltdPties', 'Dbtr', 'Cdtr', 'DbtrAcct', 'CdtrAcct', 'Pty', 'Nm'],
  ...['RmtInf', 'Ustrd', 'Strd', 'CdtrRefInf', 'Tp', 'Issr', 'Ref', 'AddtlTxInf', 'RtrInf', 'Rsn'],
]);

/**
 * camt.053 (statement) and camt.054 (debit/credit notification), versions .001.02 and .001.08:
 * they share the `Ntry/NtryDtls/TxDtls` structure (interfaces.md §1.7). Strict: an entry without
 * an amount, a direction or a booking date refuses the whole file, naming where. Entries are read
 * as the parser passes them (readBankXml's `streamed`), each to its lines, in file order.
 */
export function parseCamt(xml: string, format: StatementFormat): ParsedStatement {
  const isStatement = format.startsWith('camt.053');
  const root = isStatement ? 'BkToCstmrStmt' : 'BkToCstmrDbtCdtNtfctn';
  const reportName = isStatement ? 'Stmt' : 'Ntfctn';
  const reportsAt = `Document/${root}`;
  const entriesAt = `${reportsAt}/${reportName}`;
  const lines: StatementLine[] = [];
  const accountIbans: string[] = [];
  /** Each report as first met (its first entry, or its end), numbered in file order. */
  const reports = new Map<Node, { where: string; accountIban: string; entries: number }>();
  const reportOf = (report: Node) => {
    let known = reports.get(report);
    if (!known) {
      const where = `${reportName}[${reports.size + 1}]`;
      const accountIban = textAt(report, 'Acct', 'Id', 'IBAN');
      if (!accountIban) throw new BankFileRefused('malformed', `${where} has no account IBAN`, { element: `${where}/Acct/Id/IBAN` });
      known = { where, accountIban: accountIban.replace(/\s/g, '').toUpperCase(), entries: 0 };
      reports.set(report, known);
      accountIbans.push(known.accountIban);
    }
    return known;
  };
  const tree = readBankXml(xml, {
    namespace: `urn:iso:std:iso:20022:tech:xsd:${format}`,
    read,
    repeating,
    attributes: ['Ccy'],
    streamed: {
      names: new Set([reportName, 'Ntry']),
      each(name, element, parent, within) {
        if (name === reportName && within === reportsAt) reportOf(element);
        if (name !== 'Ntry' || within !== entriesAt) return;
        const report = reportOf(parent);
        for (const line of linesOf(element, report.accountIban, `${report.where}/Ntry[${++report.entries}]`)) lines.push(line);
      },
    },
  });
  const document = node(tree['Document']);
  if (!document) throw new BankFileRefused('malformed', 'the root element is not <Document>', { line: 1, element: 'Document' });
  const message = node(document[root]);
  if (!message) throw new BankFileRefused('malformed', `a ${format} file without <${root}>`, { element: root });
  const messageId = textAt(message, 'GrpHdr', 'MsgId');
  if (!messageId) throw new BankFileRefused('malformed', 'the group header has no MsgId', { element: 'GrpHdr/MsgId' });
  return { format, messageId, accountIbans: [...new Set(accountIbans)], lines };
}

function linesOf(entry: Node, accountIban: string, where: string): StatementLine[] {
  const amountElement = entry['Amt'];
  const amount = bankAmount(amountElement, `${where}/Amt`);
  const currency = (node(amountElement)?.['@Ccy'] as string | undefined) ?? 'EUR';
  const direction = text(entry['CdtDbtInd']);
  if (direction !== 'CRDT' && direction !== 'DBIT') throw new BankFileRefused('malformed', `${where}/CdtDbtInd is ${JSON.stringify(direction)}, not CRDT or DBIT`, { element: `${where}/CdtDbtInd` });
  const bookingDate = dateOf(entry['BookgDt']);
  if (!bookingDate || !/^\d{4}-\d{2}-\d{2}$/.test(bookingDate)) throw new BankFileRefused('malformed', `${where} has no booking date`, { element: `${where}/BookgDt` });
  const valueDate = dateOf(entry['ValDt']);
  const reversal = text(entry['RvslInd']) === 'true';
  // .001.02 wraps the status in <Sts>BOOK</Sts>, .001.08 in <Sts><Cd>BOOK</Cd></Sts>.
  const status = text(entry['Sts']) ?? textAt(entry, 'Sts', 'Cd');
  const code = node(entry['BkTxCd']);
  const domain = node(code?.['Domn']);
  const family = node(domain?.['Fmly']);
  const bankTxCode = domain ? [text(domain['Cd']), text(family?.['Cd']), text(family?.['SubFmlyCd'])].filter(Boolean).join('/') : textAt(code, 'Prtry', 'Cd');
  const entryRef = text(entry['AcctSvcrRef']);
  const additional = text(entry['AddtlNtryInf']);
  const details = list(entry['NtryDtls']);
  let batchPaymentInfoId: string | null = null;
  const transactions: Node[] = [];
  for (const detail of details) {
    batchPaymentInfoId ??= textAt(detail, 'Btch', 'PmtInfId');
    transactions.push(...list(detail['TxDtls']));
  }
  if (transactions.length === 0) {
    return [
      { accountIban, entryRef, txIndex: 0, amount, currency, direction, reversal, status, bookingDate, valueDate, bankTxCode, endToEndId: null, mandateId: null, structuredRef: null, freeText: additional ? [additional] : [], counterIban: null, counterName: null, returnReason: null, batchPaymentInfoId },
    ];
  }
  return transactions.map((tx, t): StatementLine => {
    // A single transaction is the entry; a batch's transactions carry their own amounts (.02 in AmtDtls, .08 directly).
    const own = at(tx, 'AmtDtls', 'TxAmt', 'Amt') ?? tx['Amt'];
    const txAmount = own !== undefined ? bankAmount(own, `${where}/NtryDtls/TxDtls[${t + 1}]/Amt`) : transactions.length === 1 ? amount : missing(`${where}/NtryDtls/TxDtls[${t + 1}]/AmtDtls/TxAmt/Amt`);
    const txDirection = text(tx['CdtDbtInd']);
    const remittance = node(tx['RmtInf']);
    const credit = (txDirection ?? direction) === 'CRDT';
    // The other party is the debtor of a credit, the creditor of a debit; but a return keeps the
    // roles of what it returns (the tenant stays Dbtr): so the side that is not our own account.
    const parties = node(tx['RltdPties']);
    const debtor = partyOf(parties, 'Dbtr', 'DbtrAcct');
    const creditor = partyOf(parties, 'Cdtr', 'CdtrAcct');
    const [expected, other] = credit ? [debtor, creditor] : [creditor, debtor];
    const counter = expected.iban === accountIban || (!expected.iban && !expected.name && (other.iban ?? accountIban) !== accountIban) ? other : expected;
    const freeText: string[] = [];
    for (const line of (remittance?.['Ustrd'] as unknown[] | undefined) ?? []) {
      const typed = text(line);
      if (typed !== null) freeText.push(typed);
    }
    if (additional) freeText.push(additional);
    const txAdditional = text(tx['AddtlTxInf']);
    if (txAdditional) freeText.push(txAdditional);
    const refs = node(tx['Refs']);
    // Spelled out, in StatementLine's order, rather than spread from the entry's: one shape for every line.
    return {
      accountIban,
      entryRef,
      txIndex: t,
      amount: txAmount,
      currency,
      direction: txDirection === 'CRDT' || txDirection === 'DBIT' ? txDirection : direction,
      reversal,
      status,
      bookingDate,
      valueDate,
      bankTxCode,
      endToEndId: text(refs?.['EndToEndId']),
      mandateId: text(refs?.['MndtId']),
      structuredRef: creditorReferenceOf(remittance),
      freeText,
      counterIban: counter.iban,
      counterName: counter.name,
      returnReason: textAt(tx, 'RtrInf', 'Rsn', 'Cd'),
      batchPaymentInfoId,
    };
  });
}

/** `Dt`, or the date of `DtTm`. */
function dateOf(value: unknown): string | null {
  const date = node(value);
  return (text(date?.['Dt']) ?? text(date?.['DtTm']))?.slice(0, 10) ?? null;
}

/** A party of a transaction: .001.08 nests the name one level deeper (RltdPties/Dbtr/Pty/Nm). */
function partyOf(parties: Node | undefined, party: 'Dbtr' | 'Cdtr', account: 'DbtrAcct' | 'CdtrAcct'): { name: string | null; iban: string | null } {
  if (!parties) return { name: null, iban: null };
  const who = node(parties[party]);
  const iban = textAt(parties[account], 'Id', 'IBAN');
  return { name: text(who?.['Nm']) ?? textAt(who, 'Pty', 'Nm'), iban: iban === null ? null : iban.replace(/\s/g, '').toUpperCase() };
}

/** The first structured creditor reference (`Strd/CdtrRefInf/Ref`) with its issuer. */
function creditorReferenceOf(remittance: Node | undefined): StatementLine['structuredRef'] {
  for (const structured of list(remittance?.['Strd'])) {
    for (const reference of list(structured['CdtrRefInf'])) {
      const ref = text(reference['Ref']);
      if (ref) return { ref, issuer: textAt(reference, 'Tp', 'Issr') };
    }
  }
  return null;
}

function missing(where: string): never {
  throw new BankFileRefused('malformed', `${where} is missing`, { element: where });
}

