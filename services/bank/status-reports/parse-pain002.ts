import { at, bankAmount, list, node, readBankXml, text, textAt, type XmlNode as Node } from '../xml/read-bank-xml.js';
import { BankFileRefused } from '../xml/bank-file-refused.js';
import type { PaymentInformationStatus, PaymentStatusReport, StatusReason, TransactionStatus } from './payment-status-report.js';
import { paymentStatusReportFormat } from './recognise-pain002.js';

/** Elements that may repeat: always arrays, so one occurrence reads like many. */
const repeating = new Set(['OrgnlPmtInfAndSts', 'TxInfAndSts', 'StsRsnInf', 'AddtlInf']);
/** Every element this reader looks at; the rest is checked, not built. */
const read = new Set([
  ...['Document', 'CstmrPmtStsRpt', 'GrpHdr', 'MsgId', 'CreDtTm', 'OrgnlGrpInfAndSts', 'OrgnlMsgId', 'OrgnlMsgNmId', 'GrpSts', 'StsRsnInf', 'Rsn', 'Cd', 'Prtry', 'AddtlInf'],
  ...['OrgnlPmtInfAndSts', 'OrgnlPmtInfId', 'PmtInfSts', 'TxInfAndSts', 'OrgnlInstrId', 'OrgnlEndToEndId', 'TxSts', 'OrgnlTxRef', 'Amt', 'InstdAmt', 'ReqdColltnDt', 'MndtRltdInf', 'MndtId'],
]);

const statusCode = /^[A-Z]{4}$/;

/**
 * A pain.002.001.03 or .001.10 status report, read strictly: a file that is not well-formed, has
 * no original message id, or a transaction without an end-to-end id or a status is refused whole
 * (BankFileRefused, naming the element), the way camt files are.
 */
export function parsePain002(xml: string): PaymentStatusReport {
  const format = paymentStatusReportFormat(xml);
  if (!format) throw new BankFileRefused('unsupported', 'not a pain.002.001.03 or pain.002.001.10 payment status report');
  const report = node(at(readBankXml(xml, { namespace: `urn:iso:std:iso:20022:tech:xsd:${format}`, read, repeating, attributes: ['Ccy'] }), 'Document', 'CstmrPmtStsRpt'));
  if (!report) throw new BankFileRefused('malformed', `a ${format} file without <Document><CstmrPmtStsRpt>`, { element: 'CstmrPmtStsRpt' });
  const messageId = required(report, 'GrpHdr/MsgId');
  const group = node(report['OrgnlGrpInfAndSts']);
  if (!group) throw new BankFileRefused('malformed', 'the report has no OrgnlGrpInfAndSts', { element: 'OrgnlGrpInfAndSts' });
  const groupStatus = status(group, 'GrpSts', 'OrgnlGrpInfAndSts/GrpSts');
  const paymentInformation: PaymentInformationStatus[] = [];
  const transactions: TransactionStatus[] = [];
  list(report['OrgnlPmtInfAndSts']).forEach((batch, b) => {
    const where = `OrgnlPmtInfAndSts[${b + 1}]`;
    const originalPaymentInfoId = required(batch, 'OrgnlPmtInfId', where);
    const batchStatus = status(batch, 'PmtInfSts', `${where}/PmtInfSts`);
    paymentInformation.push({ originalPaymentInfoId, status: batchStatus, reasons: reasons(batch) });
    list(batch['TxInfAndSts']).forEach((tx, t) => {
      const txWhere = `${where}/TxInfAndSts[${t + 1}]`;
      const txStatus = status(tx, 'TxSts', `${txWhere}/TxSts`) ?? batchStatus ?? groupStatus;
      if (!txStatus) throw new BankFileRefused('malformed', `${txWhere} has no TxSts, and neither its batch nor the group has a status`, { element: `${txWhere}/TxSts` });
      const txReasons = reasons(tx);
      const amount = at(tx, 'OrgnlTxRef', 'Amt', 'InstdAmt');
      transactions.push({
        originalPaymentInfoId,
        originalEndToEndId: required(tx, 'OrgnlEndToEndId', txWhere),
        originalInstructionId: textAt(tx, 'OrgnlInstrId'),
        status: txStatus,
        reasonCode: txReasons.find((reason) => reason.code !== null)?.code ?? null,
        reasons: txReasons,
        ...(amount !== undefined && { originalInstructedAmount: bankAmount(amount, `${txWhere}/OrgnlTxRef/Amt/InstdAmt`) }),
        ...optional('originalCollectionDate', textAt(tx, 'OrgnlTxRef', 'ReqdColltnDt')),
        ...optional('originalMandateId', textAt(tx, 'OrgnlTxRef', 'MndtRltdInf', 'MndtId')),
      });
    });
  });
  return {
    format,
    messageId,
    createdAt: textAt(report, 'GrpHdr', 'CreDtTm'),
    originalMessageId: required(group, 'OrgnlMsgId', 'OrgnlGrpInfAndSts'),
    originalMessageName: textAt(group, 'OrgnlMsgNmId'),
    groupStatus,
    groupReasons: reasons(group),
    paymentInformation,
    transactions,
  };
}

function required(parent: Node, path: string, where?: string): string {
  const value = textAt(parent, ...path.split('/'));
  const element = where ? `${where}/${path}` : path;
  if (value === null) throw new BankFileRefused('malformed', `${element} is missing`, { element });
  return value;
}

function status(parent: Node, element: string, where: string): string | null {
  const value = textAt(parent, element);
  if (value !== null && !statusCode.test(value)) throw new BankFileRefused('malformed', `${where} is ${JSON.stringify(value.slice(0, 40))}, not a status code`, { element: where });
  return value;
}

function reasons(parent: Node): StatusReason[] {
  return list(parent['StsRsnInf']).map((info) => {
    const code = textAt(info, 'Rsn', 'Cd');
    const proprietary = code === null ? textAt(info, 'Rsn', 'Prtry') : null;
    return {
      code: code ?? proprietary,
      proprietary: proprietary !== null,
      additionalInfo: ((info['AddtlInf'] as unknown[] | undefined) ?? []).map(text).filter((line): line is string => line !== null),
    };
  });
}

const optional = <K extends string>(key: K, value: string | null) => (value === null ? {} : ({ [key]: value } as Record<K, string>));
