import { z } from 'zod';

/** Decisions that need a second person (four-eyes): proposed by one, approved by another. */
export const decisions = ['handover', 'eviction', 'write_off'] as const;
export type Decision = (typeof decisions)[number];

export const exceptionKinds = ['wsnp', 'msnp', 'gkb', 'bankruptcy', 'estate', 'dispute'] as const;
export type ExceptionKind = (typeof exceptionKinds)[number];

/** Who did something: a role and the id of the API key (never a name), or the track itself. */
export const actorSchema = z.string().min(1).max(100);
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

export const proposeDecisionRequestSchema = z.object({ decision: z.enum(decisions), actor: actorSchema });
export type ProposeDecisionRequest = z.infer<typeof proposeDecisionRequestSchema>;

export const approveDecisionRequestSchema = z.object({ decision: z.enum(decisions), proposalId: z.string().min(1), actor: actorSchema });
export type ApproveDecisionRequest = z.infer<typeof approveDecisionRequestSchema>;

export const exceptionRequestSchema = z.object({
  kind: z.enum(exceptionKinds),
  actor: actorSchema,
  /** The day of the ruling or event; interest stops from a WSNP or bankruptcy ruling. */
  since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export type ExceptionRequest = z.infer<typeof exceptionRequestSchema>;

export const resolveExceptionRequestSchema = z.object({
  kind: z.enum(exceptionKinds),
  actor: actorSchema,
  outcome: z.enum(['resume', 'write_off']).default('resume'),
});
export type ResolveExceptionRequest = z.input<typeof resolveExceptionRequestSchema>;

export const reversePaymentRequestSchema = z.object({
  transactionId: z.string().min(1).max(100),
  reversedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** SEPA reason code of the R-transaction, e.g. MD06 (refund), AM04 (insufficient funds). */
  reasonCode: z.string().regex(/^[A-Z0-9]{4}$/),
});
export type ReversePaymentRequest = z.infer<typeof reversePaymentRequestSchema>;
