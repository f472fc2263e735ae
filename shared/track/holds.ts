import { defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import { isoDateSchema } from '../calendar/iso-date.js';

/**
 * A segment-wide hold (for example during a municipality's debt-help campaign, or a billing
 * error in one segment): every matching track pauses; on release it resumes with the days of the
 * hold added to its terms. Sent as a batch signal, so it reaches thousands of tracks at once.
 */
export const holdSignalSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), holdId: z.string().min(1).max(100), from: isoDateSchema }),
  z.object({ action: z.literal('release'), holdId: z.string().min(1).max(100), on: isoDateSchema }),
]);
export type HoldSignal = z.infer<typeof holdSignalSchema>;

export const holdSignal = defineSignal<[HoldSignal]>('hold');
