import { money } from '../../../shared/money.js';
import { controlSums } from './control-sums.js';

/**
 * The elements this check reads, with an optional namespace prefix. A scan of tags rather than a
 * parse: it runs after the schema has accepted the file (so the structure is known), and parsing
 * 10,000 debits into objects took longer than the schema check itself.
 */
const tag = /<(\/?)(?:[\w.-]+:)?(GrpHdr|PmtInf|DrctDbtTxInf|NbOfTxs|CtrlSum|InstdAmt|MndtId|DtOfSgntr)(?:\s[^>]*)?>([^<]*)/g;

interface Counted {
  readonly where: string;
  nbOfTxs?: string;
  ctrlSum?: string;
  readonly amounts: string[];
}

/**
 * What the schema cannot see and a bank refuses a file for: `NbOfTxs` and `CtrlSum` of the group
 * header and of every batch against the transactions the file holds (recomputed in decimal), and
 * the mandate id and date of signature on every debit (optional in the ISO schema, mandatory in the
 * SEPA Core rulebook). Returns the problems, empty when there are none. Call it on schema-valid XML.
 */
export function checkSepaRules(xml: string): string[] {
  if (/<!--|<!\[CDATA\[/.test(xml)) return ['comments and CDATA sections are not written into a pain.008 here'];
  const problems: string[] = [];
  const group: Counted = { where: 'GrpHdr', amounts: [] };
  const batches: Counted[] = [];
  let inGroupHeader = false;
  let batch: Counted | null = null;
  let transaction: { where: string; MndtId: boolean; DtOfSgntr: boolean } | null = null;
  for (const [, closing, name, content] of xml.matchAll(tag)) {
    const value = content!.trim();
    if (closing) {
      if (name === 'GrpHdr') inGroupHeader = false;
      else if (name === 'PmtInf') batch = null;
      else if (name === 'DrctDbtTxInf' && transaction) {
        for (const element of ['MndtId', 'DtOfSgntr'] as const) {
          if (!transaction[element]) problems.push(`${transaction.where} has no MndtRltdInf/${element}, which SEPA Core requires on every debit`);
        }
        transaction = null;
      }
      continue;
    }
    switch (name) {
      case 'GrpHdr':
        inGroupHeader = true;
        break;
      case 'PmtInf':
        batch = { where: `PmtInf[${batches.length + 1}]`, amounts: [] };
        batches.push(batch);
        break;
      case 'DrctDbtTxInf':
        transaction = { where: `${batch?.where ?? 'PmtInf[?]'}/DrctDbtTxInf[${(batch?.amounts.length ?? 0) + 1}]`, MndtId: false, DtOfSgntr: false };
        break;
      case 'NbOfTxs':
      case 'CtrlSum': {
        const owner = inGroupHeader ? group : transaction ? null : batch;
        if (owner) owner[name === 'NbOfTxs' ? 'nbOfTxs' : 'ctrlSum'] = value;
        break;
      }
      case 'InstdAmt':
        batch?.amounts.push(value);
        group.amounts.push(value);
        break;
      case 'MndtId':
      case 'DtOfSgntr':
        if (transaction) transaction[name] = value !== '';
        break;
    }
  }
  for (const counted of [...batches, group]) problems.push(...differences(counted));
  return problems;
}

function differences({ where, nbOfTxs, ctrlSum, amounts }: Counted): string[] {
  const expected = controlSums(amounts);
  const problems: string[] = [];
  if (nbOfTxs !== undefined && nbOfTxs !== expected.count) problems.push(`${where}/NbOfTxs is ${nbOfTxs}, the file holds ${expected.count} transactions`);
  // CtrlSum is optional in the schema; Dutch banks require it, and the builder always writes it.
  if (ctrlSum === undefined) problems.push(`${where}/CtrlSum is missing`);
  else if (!/^\d+(\.\d+)?$/.test(ctrlSum) || !money(ctrlSum).eq(expected.sum)) problems.push(`${where}/CtrlSum is ${ctrlSum}, the transactions add up to ${expected.sum}`);
  return problems;
}
