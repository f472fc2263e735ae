import { z } from 'zod';
import { isoDateSchema } from '../calendar/iso-date.js';
import { nonNegativeMoneyString } from '../money.js';

export const letterKinds = ['prenotice', 'reminder', 'wik', 'arrangement_confirmation', 'instalment_reminder', 'handover_notice'] as const;
export type LetterKind = (typeof letterKinds)[number];

/**
 * Where a letter goes: each channel is a drop folder `outboxDir/<channel>` that its carrier (print
 * house, e-mail, SMS or WhatsApp gateway, payment-link provider) picks up. The collection policy's
 * message channels plus registered post, which is for bailiffs.
 */
export const letterChannels = ['post', 'registered_post', 'email', 'sms', 'whatsapp', 'payment_link'] as const;
export type LetterChannel = (typeof letterChannels)[number];

/** Channels that carry a short text of one to three lines, not the letter. */
export const shortChannels: ReadonlySet<LetterChannel> = new Set<LetterChannel>(['sms', 'whatsapp', 'payment_link']);

/**
 * Letters whose legal effect needs the full text: a 14-day letter (art. 6:96 lid 6 BW) must state
 * the term, the consequences and the exact costs, which a short message cannot carry.
 */
export const fullTextOnlyKinds: ReadonlySet<LetterKind> = new Set<LetterKind>(['wik']);

const scheduleLineSchema = z.object({ dueDate: isoDateSchema, amount: nonNegativeMoneyString });

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
  /** An arrangement's schedule, in order (the confirmation prints it). */
  instalments: z.array(scheduleLineSchema).min(1).max(60).optional(),
  /** The instalment an instalment reminder is about: its number (from 1) of `count`. */
  instalment: scheduleLineSchema.extend({ number: z.number().int().min(1).max(60), count: z.number().int().min(1).max(60) }).optional(),
  /** Days after an instalment's due date before the arrangement lapses (the arrangement letters say so). */
  graceDays: z.number().int().min(0).max(30).optional(),
});
export type LetterFacts = z.infer<typeof letterFactsSchema>;

export const sendLetterRequestSchema = z
  .object({
    idempotencyKey: z.string().min(1).max(300),
    caseId: z.string().uuid(),
    kind: z.enum(letterKinds),
    /** Each channel is a drop folder; sms, whatsapp and payment_link get a short text, not a letter. */
    channel: z.enum(letterChannels).default('post'),
    postedOn: isoDateSchema,
    facts: letterFactsSchema,
  })
  .superRefine((request, ctx) => {
    if (shortChannels.has(request.channel) && fullTextOnlyKinds.has(request.kind)) {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: `a ${request.kind} letter needs its full text; send it by post or e-mail, not ${request.channel}` });
    }
    if (request.kind === 'instalment_reminder' && !request.facts.instalment) {
      ctx.addIssue({ code: 'custom', path: ['facts', 'instalment'], message: 'an instalment reminder names its instalment (number, count, dueDate, amount)' });
    }
    const instalment = request.facts.instalment;
    if (instalment && instalment.number > instalment.count) {
      ctx.addIssue({ code: 'custom', path: ['facts', 'instalment', 'number'], message: `instalment ${instalment.number} of ${instalment.count} does not exist` });
    }
  });
export type SendLetterRequest = z.input<typeof sendLetterRequestSchema>;

export interface SentLetter {
  readonly letterId: string;
  readonly kind: LetterKind;
  readonly channel: string;
  readonly postedOn: string;
  readonly deliveredOn: string | null;
}
