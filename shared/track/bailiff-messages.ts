import { defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { lazySchema } from '../validation/lazy-schema.js';
import { businessDateSchema } from '../calendar/plausible-dates.js';
import { wellFormedId } from '../validation/text.js';
import { moneyString } from '../money.js';
import type { BailiffAct } from '../legal/bailiff-fees.js';
import type { Stage } from './stages.js';

export const bailiffEventTypes = ['summons_served', 'judgment', 'eviction_scheduled', 'evicted', 'collected', 'returned'] as const;
export type BailiffEventType = (typeof bailiffEventTypes)[number];

/** What a bailiff office reports on a case handed to it (api.md, Bailiff offices). */
export const bailiffEventSchema = lazySchema(() => z.object({
  eventId: wellFormedId(100),
  type: z.enum(bailiffEventTypes),
  date: businessDateSchema,
  amount: moneyString.optional(),
  evictionDate: businessDateSchema.optional(),
}));
export type BailiffEvent = z.infer<typeof bailiffEventSchema>;

export interface BailiffEventResult {
  readonly duplicate: boolean;
  readonly stage: Stage;
}

export interface BailiffPhaseInput {
  readonly caseId: string;
  readonly corporationId: string;
  readonly trackWorkflowId: string;
  readonly officeId: string;
  /** The tenant has left: the court phase asks for payment only, no eviction. */
  readonly paymentOnly: boolean;
  /** Where the phase stood when the track's previous run handed it over (continue-as-new). */
  readonly resume?: BailiffPhaseState;
  /** The collection policy version the track hands over under: its letters record it. */
  readonly policyVersion?: number;
}

export type BailiffStopReason = 'paid' | 'written_off' | 'withdrawn';

/**
 * From the track to its bailiff phase. `handover`: the track is about to continue as new; the
 * phase reports what it has, returns its state, and the track's next run starts it again.
 */
export type BailiffControl = { readonly kind: 'stop'; readonly reason: BailiffStopReason } | { readonly kind: 'eviction_approved' } | { readonly kind: 'handover' };

/** A summons letter of the amicable phase and the term it set, kept so a resumed phase never starts a term again. */
export interface SummonsSent {
  readonly step: 'first_summons' | 'second_summons';
  readonly postedOn: string;
  readonly termEndsOn: string;
  readonly expiresAfter: string;
}

/**
 * Where a bailiff phase stands, as plain data (ids, dates and stages only): what one run of the
 * phase hands to the next when its track continues as new.
 */
export interface BailiffPhaseState {
  stage: Stage;
  /** The dossier went to the office and the track was told. */
  officeHandedOver: boolean;
  seenEventIds: string[];
  judgmentOn: string | null;
  eviction: { readonly announcedOn: string; readonly date: string } | null;
  evictionApproved: boolean;
  summons: SummonsSent[];
  /** The eviction date the municipality has been told of. */
  municipalityToldOf: string | null;
  ended: 'collected' | 'returned' | null;
  /** Told to stop while it was between runs: the next run stops at once. */
  stop: BailiffStopReason | null;
}

export type BailiffPhaseResult = { readonly outcome: 'stopped' | 'collected' | 'returned' } | { readonly outcome: 'handed_over'; readonly state: BailiffPhaseState };

/** From the bailiff phase back to its track: where it stands, fees and money it collected. */
export interface BailiffProgress {
  readonly stage?: Stage;
  readonly event?: string;
  readonly fee?: { readonly ref: string; readonly act: BailiffAct; readonly amount: string; readonly on: string };
  readonly collected?: { readonly eventId: string; readonly amount: string; readonly on: string };
  readonly evictionDate?: string;
  readonly ended?: { readonly outcome: 'collected' | 'returned' | 'stopped' };
  /** After a judgment: an eviction needs the corporation's four-eyes approval, which the track asks for. */
  readonly needsEvictionApproval?: true;
}

export const bailiffEventUpdate = defineUpdate<BailiffEventResult, [BailiffEvent]>('bailiffEvent');
export const bailiffControlSignal = defineSignal<[BailiffControl]>('bailiffControl');
export const bailiffProgressSignal = defineSignal<[BailiffProgress]>('bailiffProgress');

export { bailiffPhaseWorkflowId } from './workflow-id.js';
