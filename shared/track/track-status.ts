import type { MoneyString } from '../money.js';
import type { ClosedReason, Segment, Stage } from './stages.js';

/** A track's answer to "where does this case stand", in the shape of api.md's GET /v1/cases/:caseId. */
export interface TrackStatus {
  readonly caseId: string;
  readonly corporationId: string;
  readonly stage: Stage;
  readonly closedReason: ClosedReason | null;
  readonly segment: { readonly proposed: Segment; readonly confirmed: Segment | null };
  readonly asOf: string;
  readonly balance: Balance;
  /** Interest ran past the published rate table: computed with the last known rate until the table is extended. */
  readonly interestProvisional: boolean;
  readonly nextDeadline: { readonly kind: string; readonly date: string } | null;
  readonly claims: ReadonlyArray<{ readonly invoiceRef: string; readonly amount: MoneyString; readonly dueDate: string; readonly open: MoneyString }>;
  readonly payments: ReadonlyArray<{ readonly transactionId: string; readonly amount: MoneyString; readonly bookedOn: string }>;
  readonly letters: ReadonlyArray<LetterRecord>;
  readonly arrangement: null;
  readonly exceptions: readonly string[];
  readonly timeline: ReadonlyArray<{ readonly at: string; readonly event: string }>;
}

export interface Balance {
  readonly principal: MoneyString;
  readonly collectionCosts: MoneyString;
  readonly vat: MoneyString;
  readonly interest: MoneyString;
  readonly paid: MoneyString;
  readonly outstanding: MoneyString;
  /** An overpayment: never a negative claim (art. 6:44 BW allocation leaves a credit). */
  readonly credit: MoneyString;
}

export interface LetterRecord {
  readonly letterId: string;
  readonly kind: string;
  readonly date: string;
  readonly channel: string;
  readonly deliveredAt: string | null;
  readonly presumedDelivery?: string;
  readonly deadline?: string;
  readonly invoiceRefs: readonly string[];
  readonly collectionCosts?: MoneyString;
  readonly vat?: MoneyString;
}
