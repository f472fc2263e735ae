import { z } from 'zod';
import { lazySchema } from '../validation/lazy-schema.js';
import { businessDateSchema } from '../calendar/plausible-dates.js';
import { wellFormedId } from '../validation/text.js';

/** Decisions that need a second person (four-eyes): proposed by one, approved by another. */
export const decisions = ['handover', 'eviction', 'write_off'] as const;
export type Decision = (typeof decisions)[number];

export const exceptionKinds = ['wsnp', 'msnp', 'gkb', 'bankruptcy', 'estate', 'dispute'] as const;
export type ExceptionKind = (typeof exceptionKinds)[number];

/** Who did something: a person by pseudonym (`person:…`, auth.ts personActor; never a name), or the track itself. */
export const actorSchema = lazySchema(() => wellFormedId(100));
export type Actor = string;
export const trackActor: Actor = 'track';

export interface Proposal {
  readonly proposalId: string;
  readonly decision: Decision;
  readonly proposedBy: Actor;
  readonly proposedAt: string;
  status: 'pending' | 'approved' | 'withdrawn';
  approvedBy: Actor | null;
}

export const proposeDecisionRequestSchema = lazySchema(() => z.object({ decision: z.enum(decisions), actor: actorSchema }));
export type ProposeDecisionRequest = z.infer<typeof proposeDecisionRequestSchema>;

export const approveDecisionRequestSchema = lazySchema(() => z.object({ decision: z.enum(decisions), proposalId: wellFormedId(100), actor: actorSchema }));
export type ApproveDecisionRequest = z.infer<typeof approveDecisionRequestSchema>;

export const exceptionRequestSchema = lazySchema(() => z.object({
  kind: z.enum(exceptionKinds),
  actor: actorSchema,
  /** The day of the ruling or event; interest stops from a WSNP or bankruptcy ruling. */
  since: businessDateSchema,
}));
export type ExceptionRequest = z.infer<typeof exceptionRequestSchema>;

export const resolveExceptionRequestSchema = lazySchema(() => z.object({
  kind: z.enum(exceptionKinds),
  actor: actorSchema,
  outcome: z.enum(['resume', 'write_off']).default('resume'),
}));
export type ResolveExceptionRequest = z.input<typeof resolveExceptionRequestSchema>;

export const reversePaymentRequestSchema = lazySchema(() => z.object({
  transactionId: wellFormedId(100),
  reversedOn: businessDateSchema,
  /** SEPA reason code of the R-transaction, e.g. MD06 (refund), AM04 (insufficient funds). */
  reasonCode: z.string().regex(/^[A-Z0-9]{4}$/),
}));
export type ReversePaymentRequest = z.infer<typeof reversePaymentRequestSchema>;
