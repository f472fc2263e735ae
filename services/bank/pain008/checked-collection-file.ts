import { isTarget2BusinessDay } from '../../../shared/calendar/target2.js';
import { isIsoDate } from '../../../shared/calendar/iso-date.js';
import { MoneyParseError, money, parseMoney } from '../../../shared/money.js';
import { isValidCreditorIdentifier } from '../../../shared/sepa/creditor-identifier.js';
import { sepaId, sepaMaxLength, toSepaText } from '../../../shared/sepa/sepa-characters.js';
import type { CollectionBatch, CollectionFile, Debit, MandateAmendment, PostalAddress } from './collection-file.js';
import { Pain008InputRefused } from './pain008-errors.js';

/** The SEPA range of one debit (EPC: 0.01 to 999999999.99 euro). */
const largestDebit = money('999999999.99');

/**
 * The input as it may be written: ids checked (refused, never changed), texts in the SEPA
 * character set and cut to their lengths, amounts normalized to two decimals, collection dates on
 * TARGET2 business days, end-to-end ids unique in the file. Everything the XSD cannot know.
 */
export function checkCollectionFile(file: CollectionFile): CollectionFile {
  const creditorIdentifier = sepaId('creditor.creditorIdentifier', file.creditor.creditorIdentifier);
  if (!isValidCreditorIdentifier(creditorIdentifier)) {
    throw new Pain008InputRefused('creditor.creditorIdentifier', `${creditorIdentifier} is not a creditor identifier with valid check digits`);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(file.createdAt)) {
    throw new Pain008InputRefused('createdAt', `${JSON.stringify(file.createdAt)} is not an ISO date-time`);
  }
  const paymentInfoIds = new Set<string>();
  const endToEndIds = new Set<string>();
  const batches = file.batches.map((batch, b): CollectionBatch => {
    const where = `batches[${b}]`;
    const paymentInfoId = sepaId(`${where}.paymentInfoId`, batch.paymentInfoId);
    if (paymentInfoIds.has(paymentInfoId)) throw new Pain008InputRefused(`${where}.paymentInfoId`, `${paymentInfoId} is used by two batches of the file`);
    paymentInfoIds.add(paymentInfoId);
    if (!isIsoDate(batch.collectionDate) || !isTarget2BusinessDay(batch.collectionDate)) {
      throw new Pain008InputRefused(`${where}.collectionDate`, `${batch.collectionDate} is not a TARGET2 business day`);
    }
    if (batch.debits.length === 0) throw new Pain008InputRefused(`${where}.debits`, 'a batch needs at least one debit');
    const debits = batch.debits.map((debit, d) => checkDebit(debit, `${where}.debits[${d}]`, endToEndIds));
    return { ...batch, paymentInfoId, debits };
  });
  if (batches.length === 0) throw new Pain008InputRefused('batches', 'a file needs at least one batch');
  return {
    messageId: sepaId('messageId', file.messageId),
    // Whole seconds, as the Dutch implementation guidelines write it.
    createdAt: file.createdAt.replace(/\.\d+/, ''),
    initiatingPartyName: toSepaText(file.initiatingPartyName, sepaMaxLength.name),
    creditor: {
      ...file.creditor,
      name: toSepaText(file.creditor.name, sepaMaxLength.name),
      creditorIdentifier,
      address: file.creditor.address && checkAddress(file.creditor.address),
    },
    batches,
  };
}

function checkDebit(debit: Debit, where: string, endToEndIds: Set<string>): Debit {
  const endToEndId = sepaId(`${where}.endToEndId`, debit.endToEndId);
  if (endToEndIds.has(endToEndId)) throw new Pain008InputRefused(`${where}.endToEndId`, `${endToEndId} is used twice in the file; it is what every R-message is matched on`);
  endToEndIds.add(endToEndId);
  if (!isIsoDate(debit.mandate.signedOn)) throw new Pain008InputRefused(`${where}.mandate.signedOn`, `${debit.mandate.signedOn} is not a date`);
  return {
    endToEndId,
    amount: checkAmount(debit.amount, `${where}.amount`),
    mandate: {
      mandateId: sepaId(`${where}.mandate.mandateId`, debit.mandate.mandateId),
      signedOn: debit.mandate.signedOn,
      amendment: debit.mandate.amendment && checkAmendment(debit.mandate.amendment, `${where}.mandate.amendment`),
    },
    debtor: {
      ...debit.debtor,
      name: toSepaText(debit.debtor.name, sepaMaxLength.name),
      address: debit.debtor.address && checkAddress(debit.debtor.address),
    },
    remittance: toSepaText(debit.remittance, sepaMaxLength.remittance),
  };
}

function checkAmount(amount: string, where: string): string {
  try {
    const normalized = parseMoney(amount, { allowZero: false });
    if (money(normalized).gt(largestDebit)) throw new MoneyParseError(`${amount} is above ${largestDebit.toFixed(2)}, the largest SEPA debit`);
    return normalized;
  } catch (error) {
    if (error instanceof MoneyParseError) throw new Pain008InputRefused(where, error.message);
    throw error;
  }
}

function checkAmendment(amendment: MandateAmendment, where: string): MandateAmendment {
  if (!amendment.originalMandateId && !amendment.originalDebtorIban && !amendment.changedBank && !amendment.originalCreditorIdentifier) {
    throw new Pain008InputRefused(where, 'an amendment names the original mandate id, the original IBAN, a change of bank or the original creditor identifier');
  }
  const originalCreditorIdentifier = amendment.originalCreditorIdentifier === undefined ? undefined : sepaId(`${where}.originalCreditorIdentifier`, amendment.originalCreditorIdentifier);
  if (originalCreditorIdentifier !== undefined && !isValidCreditorIdentifier(originalCreditorIdentifier)) {
    throw new Pain008InputRefused(`${where}.originalCreditorIdentifier`, `${originalCreditorIdentifier} is not a creditor identifier with valid check digits`);
  }
  return {
    ...amendment,
    originalMandateId: amendment.originalMandateId === undefined ? undefined : sepaId(`${where}.originalMandateId`, amendment.originalMandateId),
    originalCreditorIdentifier,
  };
}

function checkAddress(address: PostalAddress): PostalAddress {
  const optional = (value: string | undefined, length: number) => (value === undefined ? undefined : toSepaText(value, length) || undefined);
  return {
    townName: toSepaText(address.townName, sepaMaxLength.townName),
    country: address.country,
    streetName: optional(address.streetName, sepaMaxLength.streetName),
    buildingNumber: optional(address.buildingNumber, sepaMaxLength.buildingNumber),
    postCode: optional(address.postCode, sepaMaxLength.postCode),
  };
}
