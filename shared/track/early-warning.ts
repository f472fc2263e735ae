import { z } from 'zod';
import { lazySchema } from '../validation/lazy-schema.js';
import { businessDateSchema } from '../calendar/plausible-dates.js';
import { wellFormedId } from '../validation/text.js';

/**
 * Early warning to the municipality (vroegsignalering, domain.md §7). The track decides when; the
 * `sendEarlyWarning` activity looks up the tenant's contact details, hands the signal to the
 * municipality service and stores the receipt as evidence.
 */
export interface EarlyWarningRequest {
  /** Workflow id + step: the signal is sent once, however often the activity runs. */
  readonly idempotencyKey: string;
  readonly caseId: string;
  readonly corporationId: string;
  readonly municipalityCode: string | null;
  readonly arrears: string;
  /** The first day of default of the oldest open claim. */
  readonly inDefaultSince: string;
  readonly signalDate: string;
  /** The evidence the Besluit gemeentelijke schuldhulpverlening asks for, by id. */
  readonly evidence: {
    readonly reminderLetterIds: readonly string[];
    readonly contactTaskIds: readonly string[];
  };
}

export interface EarlyWarningReceipt {
  readonly signalId: string;
  readonly receipt: string;
  readonly sentOn: string;
}

/** The tenant objected to passing their details on (the offer was in the reminder). */
export const earlyWarningObjectionRequestSchema = lazySchema(() => z.object({
  objectedOn: businessDateSchema,
  actor: wellFormedId(100),
}));
export type EarlyWarningObjectionRequest = z.infer<typeof earlyWarningObjectionRequestSchema>;
