import { defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import { lazySchema } from '../validation/lazy-schema.js';
import { isoDateSchema } from '../calendar/iso-date.js';

/**
 * A letter's actual delivery, reported after it was sent (the mail house's track & trace of a
 * registered 14-day letter). Ids and a date only: the evidence stays in Postgres.
 */
export const letterDeliveredSchema = lazySchema(() => z.object({ letterId: z.string().min(1).max(100), deliveredOn: isoDateSchema }));
export type LetterDelivered = z.infer<typeof letterDeliveredSchema>;

export const letterDeliveredSignal = defineSignal<[LetterDelivered]>('letterDelivered');
