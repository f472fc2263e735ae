import { z } from 'zod';
import { lazySchema } from '../validation/lazy-schema.js';
import { isoDateSchema } from '../calendar/iso-date.js';
import { businessDateSchema } from '../calendar/plausible-dates.js';
import { moneyString } from '../money.js';
import { wellFormedId } from '../validation/text.js';
import { segments } from './stages.js';

/**
 * What a track knows of a claim: a reference, an amount and a due date. The description and
 * everything about the debtor stay in Postgres, so the workflow history holds no personal data.
 */
export const trackClaimSchema = lazySchema(() => z.object({
  invoiceRef: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,79}$/, 'invoiceRef: letters, digits, . _ / - (max 80)'),
  amount: moneyString,
  dueDate: businessDateSchema,
}));
export type TrackClaim = z.infer<typeof trackClaimSchema>;

export const registerClaimsRequestSchema = lazySchema(() => z.object({
  claims: z.array(trackClaimSchema).min(1).max(500),
}));
export type RegisterClaimsRequest = z.infer<typeof registerClaimsRequestSchema>;

export interface RegisterClaimsResult {
  readonly caseId: string;
  /** The request id that opened the track: lets the API tell "started" from "already running". */
  readonly openedBy: string;
  readonly added: string[];
  readonly alreadyKnown: string[];
}

export const registerPaymentRequestSchema = lazySchema(() => z.object({
  transactionId: wellFormedId(100),
  amount: moneyString,
  bookedOn: businessDateSchema,
}));
export type RegisterPaymentRequest = z.infer<typeof registerPaymentRequestSchema>;

export interface RegisterPaymentResult {
  readonly duplicate: boolean;
  readonly outstanding: string;
  readonly closed: boolean;
}

export const confirmSegmentRequestSchema = lazySchema(() => z.object({ segment: z.enum(segments), actor: wellFormedId(100) }));
export type ConfirmSegmentRequest = z.infer<typeof confirmSegmentRequestSchema>;

export const corporationSettingsSchema = lazySchema(() => z.object({
  vatSurcharge: z.boolean(),
  /** The office cases are handed to; none means hand-over waits until one is configured. */
  bailiffOfficeId: z.string().nullable(),
  deliveryOffsetSchedule: z.array(z.object({ from: isoDateSchema, days: z.number().int().min(0).max(10) })),
}));
export type CorporationSettings = z.infer<typeof corporationSettingsSchema>;

export interface CollectionTrackInput {
  readonly caseId: string;
  readonly corporationId: string;
  readonly proposedSegment: (typeof segments)[number];
  readonly openedBy: string;
  /**
   * The case's betalingskenmerk, issued by the intake with the case (services/case-intake/record-case.ts).
   * A track started without it asks the bank service for one as it sets up.
   */
  readonly paymentReference?: string;
  /** CBS code of the tenant's municipality: picks the early-warning agreement (not personal data). */
  readonly municipalityCode?: string;
  /** The tenant has left: the court phase asks for payment only, no eviction. */
  readonly tenantDeparted?: boolean;
  /** Tests only: continue-as-new after this many history events instead of on the server's hint. */
  readonly continueAsNewAfterEvents?: number;
}
