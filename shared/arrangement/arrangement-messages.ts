import { defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { businessDateSchema } from '../calendar/plausible-dates.js';
import { moneyString, type MoneyString } from '../money.js';
import { wellFormedId } from '../validation/text.js';

/**
 * Payment arrangements (domain.md §1, A.3 and C.1). The operator proposes one through the API; the
 * track checks it against the corporation's arrangement rules in the update's validator (a refusal
 * is a 422 naming the rule), confirms it by letter and starts an arrangement monitor as a child
 * workflow, which reminds before each instalment and reports a breach or completion back.
 */
export const instalmentSchema = z.object({ dueDate: businessDateSchema, amount: moneyString });
export type Instalment = z.infer<typeof instalmentSchema>;

export const arrangementRequestSchema = z.object({
  instalments: z.array(instalmentSchema).min(1).max(60),
  actor: wellFormedId(100),
});
export type ArrangementRequest = z.infer<typeof arrangementRequestSchema>;

export interface ArrangementAccepted {
  readonly accepted: true;
  readonly arrangementId: string;
  readonly total: MoneyString;
  readonly instalments: readonly Instalment[];
  readonly firstDueDate: string;
  readonly lastDueDate: string;
}

export const proposeArrangementUpdate = defineUpdate<ArrangementAccepted, [ArrangementRequest]>('proposeArrangement');

/** The rules an arrangement can break; the API answers 422 with the rule as the error code. */
export const arrangementRefusals = [
  'arrangement_too_long',
  'instalment_too_small',
  'current_rent_unpaid',
  'too_many_arrangements',
  'total_below_outstanding',
  'total_above_outstanding',
  'instalment_in_the_past',
  'due_dates_not_increasing',
  'arrangement_not_possible',
] as const;
export type ArrangementRefusal = (typeof arrangementRefusals)[number];
/** The ApplicationFailure type the track's validator refuses with; its message starts with the rule. */
export const arrangementRefusedFailureType = 'ArrangementRefused';

export const arrangementMonitorWorkflowId = (trackWorkflowId: string, arrangementId: string) => `${trackWorkflowId}/arrangement/${arrangementId}`;

export interface ArrangementMonitorInput {
  readonly caseId: string;
  readonly trackWorkflowId: string;
  readonly arrangementId: string;
  readonly instalments: readonly Instalment[];
  readonly graceDays: number;
  readonly reminderDaysBefore: number;
  /** Paid towards the arrangement so far (the track keeps it current by signal). */
  readonly paidSoFar: MoneyString;
  /** Instalments (0-based) already reminded of by an earlier monitor of this arrangement. */
  readonly remindedInstalments?: readonly number[];
  /** The collection policy version the arrangement was accepted under: its letters record it. */
  readonly policyVersion?: number;
}

/**
 * Track → monitor: what has been paid since acceptance (after a payment or a reversal), or stop.
 * `handover`: the track is about to continue as new; the monitor ends quietly (no report) and the
 * track's next run starts it again with the same id, so no child outlives the run that started it.
 */
export type ArrangementControl =
  | { readonly kind: 'paid_so_far'; readonly amount: MoneyString }
  | { readonly kind: 'cancel'; readonly reason: string }
  | { readonly kind: 'handover' };
export const arrangementControlSignal = defineSignal<[ArrangementControl]>('arrangementControl');

/** Monitor → track, by signal to the track's workflow id (which survives continue-as-new). */
export type ArrangementProgress =
  | { readonly arrangementId: string; readonly kind: 'reminder_sent'; readonly instalment: number; readonly letterId: string; readonly on: string }
  | { readonly arrangementId: string; readonly kind: 'breached'; readonly instalment: number; readonly shortfall: MoneyString; readonly on: string }
  | { readonly arrangementId: string; readonly kind: 'completed'; readonly on: string }
  | { readonly arrangementId: string; readonly kind: 'cancelled'; readonly on: string };
export const arrangementProgressSignal = defineSignal<[ArrangementProgress]>('arrangementProgress');
