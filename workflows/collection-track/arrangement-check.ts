import { ApplicationFailure } from '@temporalio/workflow';
import { arrangementRefusedFailureType, type Instalment } from '../../shared/arrangement/arrangement-messages.js';
import { checkArrangement, type ArrangementCheck } from '../../shared/arrangement/arrangement-rules.js';
import { compareIsoDates } from '../../shared/calendar/iso-date.js';
import { money } from '../../shared/money.js';
import { defaultCollectionPolicy, type ArrangementRules } from '../../shared/policy/collection-policy.js';
import type { TrackState } from './track-state.js';

/** Before the first policy load (the very first moment of a track) the built-in rules apply. */
export const arrangementRules = (track: TrackState): ArrangementRules => (track.data.policy?.policy ?? defaultCollectionPolicy).arrangement;

/** The current month's rent is paid: every claim due this month up to today is settled. */
function currentRentPaid(track: TrackState, on: string): boolean {
  const month = on.slice(0, 7);
  return track
    .ledger(on)
    .claims.filter((c) => c.dueDate.startsWith(month) && compareIsoDates(c.dueDate, on) <= 0)
    .every((c) => money(c.open).lte(0));
}

/** The policy's rules applied to a proposal as the track stands today. */
export function checkProposal(track: TrackState, instalments: readonly Instalment[], on: string): ArrangementCheck {
  return checkArrangement({
    instalments,
    rules: arrangementRules(track),
    today: on,
    outstanding: track.outstanding(on),
    currentRentPaid: currentRentPaid(track, on),
    // checkArrangement counts those of the last 12 months; breached and cancelled ones count too.
    earlierArrangementDates: track.data.arrangements.map((a) => a.acceptedOn),
  });
}

export const refused = (check: { message: string; rule: string }) => ApplicationFailure.nonRetryable(check.message, arrangementRefusedFailureType, check.rule);
