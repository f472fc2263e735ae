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

export interface RecordCaseEventsRequest {
  readonly caseId: string;
  readonly corporationId: string;
  readonly events: readonly CaseEvent[];
}
