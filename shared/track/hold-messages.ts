import { defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import { lazySchema } from '../validation/lazy-schema.js';
import { businessDateSchema } from '../calendar/plausible-dates.js';
import { wellFormedId } from '../validation/text.js';

/**
 * A segment-wide hold (for example during a municipality's debt-help campaign, or a billing
 * error in one segment): every matching track pauses; on release it resumes with the days of the
 * hold added to its terms. Sent as a batch signal, so it reaches thousands of tracks at once.
 */
export const holdSignalSchema = lazySchema(() => z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), holdId: wellFormedId(100), from: businessDateSchema }),
  z.object({ action: z.literal('release'), holdId: wellFormedId(100), on: businessDateSchema }),
]));
export type HoldSignal = z.infer<typeof holdSignalSchema>;

export const holdSignal = defineSignal<[HoldSignal]>('hold');
