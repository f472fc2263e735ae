import { z } from 'zod';
import { isoDateSchema } from '../../shared/calendar/iso-date.js';
import { nonNegativeMoneyString } from '../../shared/money.js';

export const letterKinds = ['prenotice', 'reminder', 'wik', 'arrangement_confirmation', 'handover_notice'] as const;
export type LetterKind = (typeof letterKinds)[number];

/**
 * What a track tells the letter service: ids, amounts and dates. The service adds the debtor's
 * name and address from Postgres, so none of that passes through workflow history.
 */
export const letterFactsSchema = z.object({
  invoiceRefs: z.array(z.string()).min(1),
  principal: nonNegativeMoneyString,
  interest: nonNegativeMoneyString,
  collectionCosts: nonNegativeMoneyString.optional(),
  vat: nonNegativeMoneyString.optional(),
  outstanding: nonNegativeMoneyString,
  termDays: z.number().int().positive().optional(),
  presumedDelivery: isoDateSchema.optional(),
  deadline: isoDateSchema.optional(),
});
export type LetterFacts = z.infer<typeof letterFactsSchema>;

export const sendLetterRequestSchema = z.object({
  idempotencyKey: z.string().min(1).max(300),
  caseId: z.string().uuid(),
  kind: z.enum(letterKinds),
  channel: z.enum(['post', 'registered_post', 'email']).default('post'),
  postedOn: isoDateSchema,
  facts: letterFactsSchema,
});
export type SendLetterRequest = z.input<typeof sendLetterRequestSchema>;

export interface SentLetter {
  readonly letterId: string;
  readonly kind: LetterKind;
  readonly channel: string;
  readonly postedOn: string;
  readonly deliveredOn: string | null;
}
