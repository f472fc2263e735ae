import { ApplicationFailure } from '@temporalio/workflow';
import { compareIsoDates } from '../../shared/calendar/iso-date.js';
import { earliestEvictionDate, evictionNoticeDays } from '../../shared/legal/eviction-notice-term.js';
import type { BailiffControl, BailiffEvent, BailiffPhaseState } from '../../shared/track/bailiff-messages.js';

/** A phase that has just been handed over by its track. */
export function newBailiffPhaseState(): BailiffPhaseState {
  return {
    stage: 'bailiff_amicable',
    officeHandedOver: false,
    seenEventIds: [],
    judgmentOn: null,
    eviction: null,
    evictionApproved: false,
    summons: [],
    municipalityToldOf: null,
    ended: null,
    stop: null,
  };
}

/**
 * What a control from the track does to the phase's state. The same for a running phase and for
 * one whose state is being carried to the track's next run, so a control sent in between counts.
 */
export function applyBailiffControl(state: BailiffPhaseState, control: Exclude<BailiffControl, { kind: 'handover' }>): void {
  if (control.kind === 'stop') state.stop = control.reason;
  else state.evictionApproved = true;
}

/** The order a bailiff's reports must come in; a report out of order is refused (422 at the API). */
export function validateBailiffEvent(event: BailiffEvent, state: BailiffPhaseState, paymentOnly: boolean): void {
  if (state.seenEventIds.includes(event.eventId)) return;
  const refuse = (message: string) => {
    throw ApplicationFailure.nonRetryable(message, 'BailiffEventRefused');
  };
  switch (event.type) {
    case 'judgment':
      if (!['court', 'summons_first', 'summons_second', 'bailiff_amicable'].includes(state.stage)) refuse(`a judgment cannot follow stage ${state.stage}`);
      break;
    case 'eviction_scheduled': {
      if (paymentOnly) refuse('the tenant has left: the court phase asks for payment only, no eviction');
      if (!state.judgmentOn) refuse('an eviction needs a judgment first');
      if (!state.evictionApproved) refuse('the corporation has not approved the eviction (four-eyes) yet');
      if (!event.evictionDate) refuse('evictionDate is required');
      const earliest = earliestEvictionDate(event.date);
      if (compareIsoDates(event.evictionDate!, earliest) < 0) refuse(`an eviction is planned at least ${evictionNoticeDays} days after its announcement: not before ${earliest}`);
      break;
    }
    case 'evicted':
      if (!state.eviction) refuse('no eviction was scheduled');
      break;
    case 'collected':
      if (!event.amount) refuse('amount is required for a collection');
      break;
  }
}
