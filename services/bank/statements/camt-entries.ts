import { at, list, node, readBankXml, text, textAt, type XmlNode as Node } from '../xml/read-bank-xml.js';
import { StatementRefused, type ParsedStatement, type StatementFormat, type StatementLine } from './statement-entry.js';

/** Elements that may repeat: always arrays, so one occurrence reads like many. */
const alwaysArray = new Set(['Stmt', 'Ntfctn', 'Rpt', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd', 'AdrLine', 'CdtrRefInf']);

/**
 * camt.053 (statement) and camt.054 (debit/credit notification), versions .001.02 and .001.08:
 * they share the `Ntry/NtryDtls/TxDtls` structure (interfaces.md §1.7). Strict: an entry without
 * an amount, a direction or a booking date refuses the whole file, naming where.
 */
export function parseCamt(xml: string, format: StatementFormat): ParsedStatement {
  const document = node(readBankXml(xml, alwaysArray)['Document']);
  if (!document) throw new StatementRefused('malformed', 'the root element is not <Document>', { line: 1, element: 'Document' });
  const isStatement = format.startsWith('camt.053');
  const message = node(document[isStatement ? 'BkToCstmrStmt' : 'BkToCstmrDbtCdtNtfctn']);
  const root = isStatement ? 'BkToCstmrStmt' : 'BkToCstmrDbtCdtNtfctn';
  if (!message) throw new StatementRefused('malformed', `a ${format} file without <${root}>`, { element: root });
  const messageId = textAt(message, 'GrpHdr', 'MsgId');
  if (!messageId) throw new StatementRefused('malformed', 'the group header has no MsgId', { element: 'GrpHdr/MsgId' });
  const reports = list(message[isStatement ? 'Stmt' : 'Ntfctn']);
  const lines: StatementLine[] = [];
  const accountIbans: string[] = [];
  reports.forEach((report, r) => {
    const where = `${isStatement ? 'Stmt' : 'Ntfctn'}[${r + 1}]`;
    const accountIban = textAt(report, 'Acct', 'Id', 'IBAN');
    if (!accountIban) throw new StatementRefused('malformed', `${where} has no account IBAN`, { element: `${where}/Acct/Id/IBAN` });
    accountIbans.push(accountIban.replace(/\s/g, '').toUpperCase());
    list(report['Ntry']).forEach((entry, e) => lines.push(...linesOf(entry, accountIbans.at(-1)!, `${where}/Ntry[${e + 1}]`)));
  });
  return { format, messageId, accountIbans: [...new Set(accountIbans)], lines };
}

function linesOf(entry: Node, accountIban: string, where: string): StatementLine[] {
  const amount = decimalAt(entry['Amt'], `${where}/Amt`);
  const currency = (node(entry['Amt'])?.['@Ccy'] as string | undefined) ?? 'EUR';
  const direction = textAt(entry, 'CdtDbtInd');
  if (direction !== 'CRDT' && direction !== 'DBIT') throw new StatementRefused('malformed', `${where}/CdtDbtInd is ${JSON.stringify(direction)}, not CRDT or DBIT`, { element: `${where}/CdtDbtInd` });
  const bookingDate = (textAt(entry, 'BookgDt', 'Dt') ?? textAt(entry, 'BookgDt', 'DtTm'))?.slice(0, 10) ?? null;
  if (!bookingDate || !/^\d{4}-\d{2}-\d{2}$/.test(bookingDate)) throw new StatementRefused('malformed', `${where} has no booking date`, { element: `${where}/BookgDt` });
  const valueDate = (textAt(entry, 'ValDt', 'Dt') ?? textAt(entry, 'ValDt', 'DtTm'))?.slice(0, 10) ?? null;
  const reversal = textAt(entry, 'RvslInd') === 'true';
  // .001.02 wraps the status in <Sts>BOOK</Sts>, .001.08 in <Sts><Cd>BOOK</Cd></Sts>.
  const status = textAt(entry, 'Sts') ?? textAt(entry, 'Sts', 'Cd');
  const domain = at(entry, 'BkTxCd', 'Domn');
  const bankTxCode = domain
    ? [textAt(domain, 'Cd'), textAt(domain, 'Fmly', 'Cd'), textAt(domain, 'Fmly', 'SubFmlyCd')].filter(Boolean).join('/')
    : textAt(entry, 'BkTxCd', 'Prtry', 'Cd');
  const entryRef = textAt(entry, 'AcctSvcrRef');
  const additional = textAt(entry, 'AddtlNtryInf');
  const details = list(entry['NtryDtls']);
  const batchPaymentInfoId = details.map((d) => textAt(d, 'Btch', 'PmtInfId')).find(Boolean) ?? null;
  const transactions = details.flatMap((d) => list(d['TxDtls']));
  const base = { accountIban, entryRef, currency, direction, reversal, status, bookingDate, valueDate, bankTxCode, batchPaymentInfoId } as const;
  if (transactions.length === 0) {
    return [{ ...base, txIndex: 0, amount, endToEndId: null, mandateId: null, structuredRef: null, freeText: additional ? [additional] : [], counterIban: null, counterName: null, returnReason: null }];
  }
  return transactions.map((tx, t): StatementLine => {
    const txWhere = `${where}/NtryDtls/TxDtls[${t + 1}]`;
    // A single transaction is the entry; a batch's transactions carry their own amounts (.02 in AmtDtls, .08 directly).
    const own = at(tx, 'AmtDtls', 'TxAmt', 'Amt') ?? at(tx, 'Amt');
    const txAmount = own !== undefined ? decimalAt(own, `${txWhere}/Amt`) : transactions.length === 1 ? amount : missing(`${txWhere}/AmtDtls/TxAmt/Amt`);
    const txDirection = textAt(tx, 'CdtDbtInd');
    const creditor = list(at(tx, 'RmtInf', 'Strd')).flatMap((s) => list(at(s, 'CdtrRefInf'))).find((c) => textAt(c, 'Ref'));
    const credit = (txDirection ?? direction) === 'CRDT';
    // The other party is the debtor of a credit, the creditor of a debit; but a return keeps the
    // roles of what it returns (the tenant stays Dbtr): so the side that is not our own account.
    const sides = ([['Dbtr', 'DbtrAcct'], ['Cdtr', 'CdtrAcct']] as const).map(([party, account]) => ({
      // .001.08 nests the party one level deeper (RltdPties/Dbtr/Pty/Nm).
      name: textAt(tx, 'RltdPties', party, 'Nm') ?? textAt(tx, 'RltdPties', party, 'Pty', 'Nm'),
      iban: textAt(tx, 'RltdPties', account, 'Id', 'IBAN')?.replace(/\s/g, '').toUpperCase() ?? null,
    }));
    const [expected, other] = credit ? [sides[0]!, sides[1]!] : [sides[1]!, sides[0]!];
    const counter = expected.iban === accountIban || (!expected.iban && !expected.name && (other.iban ?? accountIban) !== accountIban) ? other : expected;
    const counterName = counter.name;
    const counterIban = counter.iban;
    const ustrd = (at(tx, 'RmtInf', 'Ustrd') as unknown[] | undefined) ?? [];
    const freeText = [...ustrd.map(text).filter((s): s is string => s !== null), ...(additional ? [additional] : []), ...(textAt(tx, 'AddtlTxInf') ? [textAt(tx, 'AddtlTxInf')!] : [])];
    return {
      ...base,
      direction: txDirection === 'CRDT' || txDirection === 'DBIT' ? txDirection : direction,
      txIndex: t,
      amount: txAmount,
      endToEndId: textAt(tx, 'Refs', 'EndToEndId'),
      mandateId: textAt(tx, 'Refs', 'MndtId'),
      structuredRef: creditor ? { ref: textAt(creditor, 'Ref')!, issuer: textAt(creditor, 'Tp', 'Issr') } : null,
      freeText,
      counterIban,
      counterName,
      returnReason: textAt(tx, 'RtrInf', 'Rsn', 'Cd'),
    };
  });
}

/**
 * A decimal amount as the bank wrote it, checked: never a float. Euro amounts are to the cent
 * (the schema allows five decimals for other currencies); a sub-cent amount would be rounded
 * silently by the numeric(…, 2) columns and the track, so it refuses the file instead.
 */
function decimalAt(value: unknown, where: string): string {
  const amount = text(value);
  if (!amount || !/^\d{1,15}(\.\d{1,2})?$/.test(amount)) throw new StatementRefused('malformed', `${where} is ${JSON.stringify(amount)}, not a decimal amount`, { element: where });
  return amount;
}

function missing(where: string): never {
  throw new StatementRefused('malformed', `${where} is missing`, { element: where });
}

