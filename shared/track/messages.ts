import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApproveDecisionRequest, ExceptionRequest, Proposal, ProposeDecisionRequest, ResolveExceptionRequest, ReversePaymentRequest } from './decisions.js';
import type { Stage } from './stages.js';
import type {
  ConfirmSegmentRequest,
  RegisterClaimsRequest,
  RegisterClaimsResult,
  RegisterPaymentRequest,
  RegisterPaymentResult,
} from './track-input.js';
import type { TrackStatus } from './track-status.js';
import type { CompleteTaskRequest, CompleteTaskResult } from './task-messages.js';
import type { EarlyWarningObjectionRequest } from './early-warning.js';

/**
 * The track's message contract, shared by the workflow and its callers (the API), so the API
 * never imports workflow code. Updates rather than signals where the caller must learn the
 * outcome (a claim refused, a duplicate payment).
 */
export const registerClaimsUpdate = defineUpdate<RegisterClaimsResult, [RegisterClaimsRequest]>('registerClaims');
export const registerPaymentUpdate = defineUpdate<RegisterPaymentResult, [RegisterPaymentRequest]>('registerPayment');
/**
 * A query runs at the time of the track's last activity, not now; the caller passes today's date
 * (from its clock, or the simulation's) so interest is shown up to date.
 */
export const trackStatusQuery = defineQuery<TrackStatus, [asOf?: string]>('trackStatus');
export const reversePaymentUpdate = defineUpdate<{ reversed: boolean; outstanding: string }, [ReversePaymentRequest]>('reversePayment');
export const confirmSegmentUpdate = defineUpdate<{ segment: string }, [ConfirmSegmentRequest]>('confirmSegment');
export const registerExceptionUpdate = defineUpdate<{ added: boolean; stage: Stage }, [ExceptionRequest]>('registerException');
export const resolveExceptionUpdate = defineUpdate<{ stage: Stage; proposalId: string | null }, [ResolveExceptionRequest]>('resolveException');
export const proposeDecisionUpdate = defineUpdate<Proposal, [ProposeDecisionRequest]>('proposeDecision');
export const approveDecisionUpdate = defineUpdate<Proposal, [ApproveDecisionRequest]>('approveDecision');
/** A person's outcome of a call or visit task (the API stored the note in Postgres first). */
export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskRequest]>('completeTask');
/** The tenant objected to the early-warning signal offered in the reminder (domain.md §7). */
export const recordEarlyWarningObjectionUpdate = defineUpdate<{ recorded: boolean; signalSent: boolean }, [EarlyWarningObjectionRequest]>('recordEarlyWarningObjection');
