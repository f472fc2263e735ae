import { ApplicationFailure } from '@temporalio/workflow';
import { arrangementRequestSchema, type ArrangementRequest } from '../../shared/arrangement/arrangement-messages.js';
import { compareIsoDates } from '../../shared/calendar/iso-date.js';
import {
  approveDecisionRequestSchema,
  exceptionRequestSchema,
  proposeDecisionRequestSchema,
  resolveExceptionRequestSchema,
  reversePaymentRequestSchema,
  type ApproveDecisionRequest,
  type ExceptionRequest,
  type ProposeDecisionRequest,
  type ResolveExceptionRequest,
  type ReversePaymentRequest,
} from '../../shared/track/decisions.js';
import { earlyWarningObjectionRequestSchema, type EarlyWarningObjectionRequest } from '../../shared/track/early-warning.js';
import { completeTaskRequestSchema, type CompleteTaskRequest } from '../../shared/track/task-messages.js';
import { registerPaymentRequestSchema, type RegisterPaymentRequest } from '../../shared/track/track-input.js';
import { checkProposal, refused } from './arrangement-check.js';
import type { TrackState } from './track-state.js';
import { today } from '../workflow-clock.js';

/*
 * What each update must satisfy before it is accepted. A validator that throws leaves no trace in
 * the history: the caller gets the refusal and the track is as it was.
 */

const refuse = (message: string, type = 'Refused') => ApplicationFailure.nonRetryable(message, type);

function refuseWhenClosed(track: TrackState): void {
  if (track.closed) throw refuse('the track is closed');
}

export function validateArrangement(track: TrackState, request: ArrangementRequest): void {
  const parsed = arrangementRequestSchema.parse(request);
  refuseWhenClosed(track);
  if (track.parked) throw refuse('the track is parked under an exception; resolve it first', 'WrongStage');
  if (track.data.bailiff && !track.data.bailiff.ended) throw refuse('the case is with the bailiff, who arranges payment from here', 'WrongStage');
  if (track.activeArrangement) throw refuse('an arrangement is already running', 'ArrangementRunning');
  // The rules themselves, in the validator too, so a refused arrangement leaves no trace in history.
  const check = checkProposal(track, parsed.instalments, today());
  if (!check.ok) throw refused(check);
}

export function validateCompleteTask(track: TrackState, request: CompleteTaskRequest): void {
  const parsed = completeTaskRequestSchema.parse(request);
  if (!track.data.tasks.some((t) => t.taskId === parsed.taskId)) throw refuse(`no task ${parsed.taskId} on this track`, 'UnknownTask');
  if (parsed.outcome === 'promise_to_pay' && (!parsed.promisedOn || compareIsoDates(parsed.promisedOn, parsed.completedOn) < 0)) {
    throw refuse('a promise to pay needs promisedOn, not before today', 'InvalidOutcome');
  }
}

export function validateEarlyWarningObjection(track: TrackState, request: EarlyWarningObjectionRequest): void {
  earlyWarningObjectionRequestSchema.parse(request);
  refuseWhenClosed(track);
}

/** A repeat of a booked payment is answered as a duplicate; the same id with other details is refused. */
export function validatePayment(track: TrackState, request: RegisterPaymentRequest): void {
  const conflict = track.paymentConflict(registerPaymentRequestSchema.parse(request));
  if (conflict) throw refuse(conflict, 'PaymentDiffers');
}

export function validateReversal(track: TrackState, request: ReversePaymentRequest): void {
  reversePaymentRequestSchema.parse(request);
  if (!track.hasPayment(request.transactionId)) throw refuse(`no payment ${request.transactionId} on this track`, 'UnknownPayment');
  const conflict = track.reversalConflict(request.transactionId, request.reversedOn, request.reasonCode);
  if (conflict) throw refuse(conflict, 'ReversalDiffers');
}

export function validateException(track: TrackState, request: ExceptionRequest): void {
  exceptionRequestSchema.parse(request);
  refuseWhenClosed(track);
}

export function validateResolution(track: TrackState, request: ResolveExceptionRequest): void {
  const parsed = resolveExceptionRequestSchema.parse(request);
  if (!track.data.exceptions.some((e) => e.kind === parsed.kind)) throw refuse(`no ${parsed.kind} exception on this track`, 'UnknownException');
}

export function validateProposal(track: TrackState, request: ProposeDecisionRequest): void {
  proposeDecisionRequestSchema.parse(request);
  refuseWhenClosed(track);
  if (request.decision === 'eviction' && track.stage !== 'judgment') throw refuse('an eviction can be proposed after the judgment only', 'WrongStage');
  if (request.decision === 'handover' && track.data.bailiff) throw refuse('the case is already with a bailiff', 'WrongStage');
}

/** Four eyes: a second person approves what the first proposed. */
export function validateApproval(track: TrackState, request: ApproveDecisionRequest): void {
  approveDecisionRequestSchema.parse(request);
  const proposal = track.data.proposals.find((p) => p.proposalId === request.proposalId);
  if (!proposal || proposal.decision !== request.decision) throw refuse(`no ${request.decision} proposal ${request.proposalId}`, 'UnknownProposal');
  if (proposal.status !== 'pending') throw refuse(`proposal ${request.proposalId} is ${proposal.status}`, 'ProposalNotPending');
  if (proposal.proposedBy === request.actor) throw refuse('four-eyes: the approver may not be the one who proposed it', 'FourEyes');
}
