/**
 * What opens or extends a contract's collection track, whoever asks: billing through
 * `POST /v1/cases`, or the collection service handing over an advance that stayed unpaid
 * (activities/unpaid-advances.ts). Plain types, so neither caller's schemas sit below the other:
 * the API's zod request (services/api/requests/cases.ts) is one of these once parsed.
 */
import type { Segment } from '../../shared/track/stages.js';

export interface CaseDebtor {
  readonly name: string;
  readonly address: { readonly street: string; readonly postalCode: string; readonly city: string };
  readonly email?: string;
  readonly phone?: string;
  readonly iban?: string;
  readonly bsn?: string;
}

export interface CaseClaim {
  readonly invoiceRef: string;
  readonly description: string;
  readonly amount: string;
  readonly dueDate: string;
}

export interface CaseIntake {
  readonly corporationId: string;
  readonly contractRef: string;
  readonly debtor: CaseDebtor;
  readonly segment: Segment;
  readonly tenantDeparted: boolean;
  readonly municipalityCode?: string;
  readonly claims: readonly CaseClaim[];
}
