import { bailiffEventUpdate, type BailiffEvent, type BailiffEventResult } from '../../shared/track/bailiff-messages.js';
import { HttpError, serviceUnavailable } from '../http/errors.js';
import type { TrackClient } from '../track-client/track-client.js';

export interface HandoverWait {
  /** How long an event waits for the phase's next run before the office is asked to send it again. */
  readonly totalMs: number;
  readonly intervalMs: number;
}

/** A hand-over takes the track one continue-as-new: well under a second on a healthy server. */
export const defaultHandoverWait: HandoverWait = { totalMs: 5_000, intervalMs: 100 };

/** A closed workflow (409), or an error of the call itself (the run closed between describe and update). */
const mayBeHandover = (error: unknown) => !(error instanceof HttpError) || error.status === 409;

/**
 * Delivers a bailiff office's event to the case's bailiff phase. Each time the track continues as
 * new it hands the phase over: the run under the phase's id closes (`handed_over`) and the track's
 * next run starts it again under the same id a moment later. An event that arrives in that moment
 * waits for the new run and is applied there; the phase carries the event ids it has seen, so a
 * repeat stays a repeat. Only if the new run does not come in time is the office asked (503) to
 * send the event again.
 */
export async function deliverBailiffEvent(
  tracks: Pick<TrackClient, 'update' | 'latestRun'>,
  workflowId: string,
  event: BailiffEvent,
  wait: HandoverWait = defaultHandoverWait,
): Promise<BailiffEventResult> {
  const giveUpAt = Date.now() + wait.totalMs;
  // A refusal by a running phase is answered as it is, after at most one more try.
  let triedRunning = false;
  for (;;) {
    try {
      return await tracks.update(workflowId, bailiffEventUpdate, [event], `bailiff-${event.eventId}`);
    } catch (error) {
      if (!mayBeHandover(error)) throw error;
      const latest = await tracks.latestRun(workflowId);
      if (latest === 'closed' || (latest === 'running' && triedRunning)) throw error;
      if (latest === 'running') {
        triedRunning = true;
        continue;
      }
      if (Date.now() >= giveUpAt) {
        throw serviceUnavailable('bailiff_phase_handing_over', `the bailiff phase is moving to its track's next run; send event ${event.eventId} again (a repeat is applied once)`, wait.totalMs / 1000);
      }
      await new Promise((resolve) => setTimeout(resolve, wait.intervalMs));
    }
  }
}
