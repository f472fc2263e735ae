import { patched } from '@temporalio/workflow';
import { localActivities } from '../activity-proxies.js';
import type { TrackState } from './track-state.js';

const { recordCaseEvents } = localActivities;

/**
 * Writes the queued events to the read model (lists, KPIs), with the payments they changed and the
 * stage the case list filters on (GET /v1/cases?stage=). Tracks recorded before the read model
 * existed replay without the activity (no marker in their history); their events are dropped.
 */
export async function flushCaseEvents(track: TrackState): Promise<void> {
  const stage = track.unrecordedStage;
  if (!track.hasUnrecordedEvents && (stage === null || !patched('stage-in-read-model'))) return;
  // Every payment change also queues an event, so the projection rides along in the same write.
  const { events, payments } = track.takeUnrecorded();
  if (!patched('case-events-read-model')) return;
  await recordCaseEvents({
    caseId: track.input.caseId,
    corporationId: track.input.corporationId,
    events,
    ...(payments.length > 0 ? { payments } : {}),
    ...(stage ? { stage, closedReason: track.data.closedReason, closedOn: track.data.closedOn } : {}),
  });
  if (stage) track.stageRecorded(stage);
}
