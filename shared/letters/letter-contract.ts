import { z } from 'zod';
import { isoDateSchema } from '../calendar/iso-date.js';
import { nonNegativeMoneyString } from '../money.js';

export const letterKinds = ['prenotice', 'reminder', 'wik', 'arrangement_confirmation', 'instalment_reminder', 'handover_notice', 'breach_notice', 'eviction_information', 'claim_filing'] as const;
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

/** Letters about the case as a whole rather than named rent invoices: they may name none. */
const kindsWithoutInvoices: ReadonlySet<LetterKind> = new Set<LetterKind>(['eviction_information']);

/**
 * Letters that print no amounts: they need no principal, interest or outstanding (every other
 * kind does, checked with the kind below). Eviction information asks for no payment: from the
 * hand-over the bailiff collects.
 */
export const kindsWithoutAmounts: ReadonlySet<LetterKind> = new Set<LetterKind>(['eviction_information']);
const amountFields = ['principal', 'interest', 'outstanding'] as const;

const scheduleLineSchema = z.object({ dueDate: isoDateSchema, amount: nonNegativeMoneyString });

/**
 * What a track tells the letter service: ids, amounts and dates. The service adds the debtor's
 * name and address from Postgres, so none of that passes through workflow history.
 */
export const letterFactsSchema = z.object({
  /** At least one, except for kinds about the case as a whole (checked with the kind below). */
  invoiceRefs: z.array(z.string()).max(500),
  /** principal, interest and outstanding: required, except for the kinds without amounts (checked with the kind below). */
  principal: nonNegativeMoneyString.optional(),
  interest: nonNegativeMoneyString.optional(),
  collectionCosts: nonNegativeMoneyString.optional(),
  vat: nonNegativeMoneyString.optional(),
  outstanding: nonNegativeMoneyString.optional(),
  termDays: z.number().int().positive().optional(),
  presumedDelivery: isoDateSchema.optional(),
  deadline: isoDateSchema.optional(),
  /** An arrangement's schedule, in order (the confirmation prints it). */
  instalments: z.array(scheduleLineSchema).min(1).max(60).optional(),
  /** The instalment an instalment reminder is about: its number (from 1) of `count`. */
  instalment: scheduleLineSchema.extend({ number: z.number().int().min(1).max(60), count: z.number().int().min(1).max(60) }).optional(),
  /** Days after an instalment's due date before the arrangement lapses (the arrangement letters say so). */
  graceDays: z.number().int().min(0).max(30).optional(),
  /** A breached arrangement: what the judged instalment lacked and the day it was judged (the breach notice). */
  breach: z.object({ shortfall: nonNegativeMoneyString, on: isoDateSchema }).optional(),
  /** The eviction the bailiff announced: the day of the announcement and the day itself (eviction information). */
  eviction: z.object({ announcedOn: isoDateSchema, date: isoDateSchema }).optional(),
  /** A claim filed with the administrator (WSNP) or trustee (bankruptcy), amounts as on the ruling's day. */
  claimFiling: z.object({ proceeding: z.enum(['wsnp', 'bankruptcy']), rulingDate: isoDateSchema, costs: nonNegativeMoneyString }).optional(),
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
    /** The collection policy version the track sent it under (stored with the letter); absent from tracks that do not say. */
    policyVersion: z.number().int().min(0).optional(),
    facts: letterFactsSchema,
  })
  .superRefine((request, ctx) => {
    if (shortChannels.has(request.channel) && fullTextOnlyKinds.has(request.kind)) {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: `a ${request.kind} letter needs its full text; send it by post or e-mail, not ${request.channel}` });
    }
    if (request.kind === 'instalment_reminder' && !request.facts.instalment) {
      ctx.addIssue({ code: 'custom', path: ['facts', 'instalment'], message: 'an instalment reminder names its instalment (number, count, dueDate, amount)' });
    }
    if (request.facts.invoiceRefs.length === 0 && !kindsWithoutInvoices.has(request.kind)) {
      ctx.addIssue({ code: 'custom', path: ['facts', 'invoiceRefs'], message: `a ${request.kind} letter names at least one invoice` });
    }
    if (!kindsWithoutAmounts.has(request.kind)) {
      for (const field of amountFields) {
        if (request.facts[field] === undefined) ctx.addIssue({ code: 'custom', path: ['facts', field], message: `a ${request.kind} letter states the ${field}` });
      }
    }
    for (const [kind, field, what] of [
      ['breach_notice', 'breach', 'the shortfall and the day of the breach'],
      ['eviction_information', 'eviction', 'the announcement and the eviction date'],
      ['claim_filing', 'claimFiling', 'the proceeding, the ruling date and the costs'],
    ] as const) {
      if (request.kind === kind && !request.facts[field]) ctx.addIssue({ code: 'custom', path: ['facts', field], message: `a ${kind} letter states ${what}` });
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
