import type { CollectionFile, Debit } from '../../services/bank/pain008/collection-file.js';

/**
 * pain.008 input for the benchmark and the tests (test/support re-exports it; bench code stands outside test/): a creditor with the made-up but valid creditor
 * identifier NL69ZZZ123456780000 and debtors with valid (check-digit) Dutch test IBANs.
 */
export const testCreditor = {
  name: 'Energiediensten Zuid B.V.',
  iban: 'NL91ABNA0417164300',
  bic: 'ABNANL2A',
  creditorIdentifier: 'NL69ZZZ123456780000',
} as const;

/** A Dutch IBAN with valid check digits for the given bank code and (up to) ten-digit account number. */
export function testIban(bankCode: string, accountNumber: number | string): string {
  const bban = `${bankCode}${String(accountNumber).padStart(10, '0')}`;
  const digits = [...`${bban}NL00`].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  const remainder = [...digits].reduce((r, d) => (r * 10 + Number(d)) % 97, 0);
  return `NL${String(98 - remainder).padStart(2, '0')}${bban}`;
}

export function testDebit(n: number, overrides: Partial<Debit> = {}): Debit {
  const ref = String(n).padStart(6, '0');
  return {
    endToEndId: `ADV-${ref}-202607`,
    amount: `${60 + (n % 90)}.${String(n % 100).padStart(2, '0')}`,
    mandate: { mandateId: `MND-${ref}`, signedOn: '2025-01-15' },
    debtor: { name: `Bewoner ${ref}`, iban: testIban(n % 2 === 0 ? 'RABO' : 'INGB', 100_000 + n) },
    remittance: `Voorschot servicekosten juli 2026 woning ${ref}`,
    ...overrides,
  };
}

export function testCollectionFile(debits: readonly Debit[], overrides: Partial<CollectionFile> = {}): CollectionFile {
  return {
    messageId: 'DD-2026-07-0001',
    createdAt: '2026-06-20T09:30:00.123Z',
    initiatingPartyName: 'Energiediensten Zuid B.V.',
    creditor: testCreditor,
    batches: [{ paymentInfoId: 'DD-2026-07-0001-RCUR', collectionDate: '2026-07-01', sequenceType: 'RCUR', batchBooking: true, debits }],
    ...overrides,
  };
}

export function testDebits(count: number): Debit[] {
  return Array.from({ length: count }, (_, i) => testDebit(i + 1));
}
