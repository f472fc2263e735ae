import { z } from 'zod';
import { isoDateSchema } from '../../shared/calendar/iso-date.js';
import { moneyString } from '../../shared/money.js';
import { municipalityCodeSchema } from '../../shared/policy/collection-policy.js';
import { segments } from '../../shared/track/stages.js';
import { trackClaimSchema, registerPaymentRequestSchema } from '../../shared/track/track-input.js';
import { idPartPattern } from '../../shared/track/workflow-id.js';

const idPart = (what: string) =>
  z.string().regex(idPartPattern, `${what}: letters, digits, '.', '_' or '-', starting with a letter or digit (max 80)`);

export const debtorSchema = z.object({
  name: z.string().trim().min(1).max(200),
  address: z.object({
    street: z.string().trim().min(1).max(200),
    postalCode: z.string().trim().regex(/^[1-9][0-9]{3} ?[A-Za-z]{2}$/, 'a Dutch postal code such as "1234 AB"'),
    city: z.string().trim().min(1).max(100),
  }),
  email: z.string().email().optional(),
  phone: z.string().trim().min(6).max(30).optional(),
  iban: z.string().trim().regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/, 'an IBAN without spaces').optional(),
  bsn: z.string().regex(/^[0-9]{9}$/, 'nine digits').optional(),
});

export const caseClaimSchema = trackClaimSchema.extend({
  description: z.string().trim().min(1).max(200),
});

export const openCaseRequestSchema = z.object({
  corporationId: idPart('corporationId'),
  contractRef: idPart('contractRef'),
  debtor: debtorSchema,
  segment: z.enum(segments).default('unknown'),
  /** The tenant has left the dwelling: collection asks for payment only, never eviction. */
  tenantDeparted: z.boolean().default(false),
  /** CBS code of the tenant's municipality (GM + 4 digits): picks the early-warning agreement. */
  municipalityCode: municipalityCodeSchema.optional(),
  claims: z.array(caseClaimSchema).min(1).max(500),
});
export type OpenCaseRequest = z.infer<typeof openCaseRequestSchema>;

export const paymentRequestSchema = registerPaymentRequestSchema;

export const caseIdParamsSchema = z.object({ caseId: z.string().uuid('caseId is a UUID') });

export const corporationRequestSchema = z.object({
  name: z.string().trim().min(1).max(200),
  vatSurcharge: z.boolean().default(false),
  bailiffOfficeId: z.string().min(1).max(80).nullable().default(null),
  /** Rented units, for the KPIs per unit. */
  rentedUnits: z.number().int().min(1).max(1_000_000).nullable().default(null),
});

export { isoDateSchema, moneyString };
