/**
 * What became of a line of a bank file (its fate), and the rule that tied it to a case or knew it
 * as one of our own direct debits (its match rule): stored with the line, answered by the API.
 */
export const bankEntryFates = ['pending', 'matched', 'reversal', 'unmatched', 'ignored', 'refund', 'not_ours', 'direct_debit'] as const;
export type BankEntryFate = (typeof bankEntryFates)[number];

export const bankEntryMatchRules = ['structured_reference', 'text_reference', 'debtor_iban', 'manual', 'end_to_end_id', 'payment_info_id', 'payment_link'] as const;
export type BankEntryMatchRule = (typeof bankEntryMatchRules)[number];

/** How a line was known as one of our own direct debits, never a tenant's payment. */
export type OwnDebitRule = Extract<BankEntryMatchRule, 'end_to_end_id' | 'payment_info_id'>;

/** Which rule tied a tenant's payment to a case. */
export type PaymentMatchRule = Exclude<BankEntryMatchRule, OwnDebitRule>;
