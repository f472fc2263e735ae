import type { ClosedReason, Stage } from './stages.js';

/**
 * Events of a case for the read model (lists and KPIs). Ids, dates and amounts only. The key makes
 * recording idempotent: the same event recorded twice (a retried activity) is one row.
 */
export const caseEventKinds = [
  'first_reminder',
  'wik_letter',
  'collection_costs',
  'handed_over',
  'arrangement_accepted',
  'arrangement_kept',
  'arrangement_breached',
  'court_case_started',
  'court_case_ended',
  'evicted',
  'payment',
  'payment_reversed',
  'closed_paid',
  'written_off',
] as const;
export type CaseEventKind = (typeof caseEventKinds)[number];

export interface CaseEvent {
  readonly key: string;
  readonly kind: CaseEventKind;
  readonly occurredOn: string;
  readonly amount: string | null;
  readonly since?: string;
}

/** A payment as the track booked it: the payment table is its projection. */
export interface ProjectedPayment {
  readonly transactionId: string;
  readonly amount: string;
  readonly bookedOn: string;
  readonly reversedOn?: string;
  readonly reversalReason?: string;
}

export interface RecordCaseEventsRequest {
  readonly caseId: string;
  readonly corporationId: string;
  readonly events: readonly CaseEvent[];
  /** Payments booked or reversed since the last write, as they stand now. */
  readonly payments?: readonly ProjectedPayment[];
  /** Where the track stands now, for finding cases by stage (GET /v1/cases); absent from tracks of before. */
  readonly stage?: Stage;
  /** With stage closed: why. */
  readonly closedReason?: ClosedReason | null;
  /** With stage closed: the day the track closed (the retention period runs from it). */
  readonly closedOn?: string | null;
}
