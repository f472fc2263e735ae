import { defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { isoDateSchema } from '../calendar/iso-date.js';
import { moneyString } from '../money.js';
import type { BailiffAct } from '../legal/bailiff-fees.js';
import type { Stage } from './stages.js';

export const bailiffEventTypes = ['summons_served', 'judgment', 'eviction_scheduled', 'evicted', 'collected', 'returned'] as const;
export type BailiffEventType = (typeof bailiffEventTypes)[number];

/** What a bailiff office reports on a case handed to it (api.md, Bailiff offices). */
export const bailiffEventSchema = z.object({
  eventId: z.string().min(1).max(100),
  type: z.enum(bailiffEventTypes),
  date: isoDateSchema,
  amount: moneyString.optional(),
  evictionDate: isoDateSchema.optional(),
});
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
}

/** From the track to its bailiff phase. */
export type BailiffControl = { readonly kind: 'stop'; readonly reason: 'paid' | 'written_off' | 'withdrawn' } | { readonly kind: 'eviction_approved' };

/** From the bailiff phase back to its track: where it stands, fees and money it collected. */
export interface BailiffProgress {
  readonly stage?: Stage;
  readonly event?: string;
  readonly fee?: { readonly ref: string; readonly act: BailiffAct; readonly amount: string; readonly on: string };
  readonly collected?: { readonly eventId: string; readonly amount: string; readonly on: string };
  readonly evictionDate?: string;
  readonly ended?: { readonly outcome: 'collected' | 'returned' | 'stopped' };
}

export const bailiffEventUpdate = defineUpdate<BailiffEventResult, [BailiffEvent]>('bailiffEvent');
export const bailiffControlSignal = defineSignal<[BailiffControl]>('bailiffControl');
export const bailiffProgressSignal = defineSignal<[BailiffProgress]>('bailiffProgress');

export const bailiffPhaseWorkflowId = (trackWorkflowId: string) => `${trackWorkflowId}-bailiff`;
