import { z } from 'zod';
import { isoDateSchema } from '../calendar/iso-date.js';
import { nonNegativeMoneyString } from '../money.js';
import { municipalityCodeSchema } from '../policy/collection-policy.js';

/**
 * What a track tells the municipality's matching platform (POST /signals of the municipality
 * service): ids, amounts and dates. The service adds the tenant's contact details from Postgres.
 */
export const municipalitySignalRequestSchema = z.object({
  idempotencyKey: z.string().min(1).max(300),
  caseId: z.string().uuid(),
  kind: z.enum(['early_warning', 'eviction_date', 'eviction_cancelled']),
  arrears: nonNegativeMoneyString.default('0.00'),
  signalDate: isoDateSchema,
  evictionDate: isoDateSchema.optional(),
  /** CBS code of the tenant's municipality, for the platform's routing; null or absent: unknown. */
  municipalityCode: municipalityCodeSchema.nullable().optional(),
});
export type MunicipalitySignalRequest = z.input<typeof municipalitySignalRequestSchema>;

/** The platform's answer: our signal id, and the receipt kept as evidence. */
export interface MunicipalitySignalReceipt {
  readonly signalId: string;
  readonly receipt: string;
}
