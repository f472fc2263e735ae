/** The stages of a collection track, as api.md names them. */
export const stages = [
  'prenotice',
  'reminder',
  'wik_letter',
  'awaiting_handover',
  'bailiff_amicable',
  'summons_first',
  'summons_second',
  'court',
  'judgment',
  'eviction_announced',
  'evicted',
  'post_eviction',
  'arrangement',
  'parked',
  'closed',
] as const;
export type Stage = (typeof stages)[number];

export const closedReasons = ['paid', 'written_off', 'withdrawn'] as const;
export type ClosedReason = (typeof closedReasons)[number];

export const segments = [
  'new_tenant',
  'slow_payer',
  'lax',
  'temporary_hardship',
  'dispute',
  'structural',
  'vve_owner',
  'unknown',
] as const;
export type Segment = (typeof segments)[number];
