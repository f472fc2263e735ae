import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import type { BailiffPhaseState, BailiffProgress } from '../../shared/track/bailiff-messages.js';
import type { BailiffAssignment } from './track-data.js';
import type { TrackCore } from './track-core.js';

/**
 * The bookkeeping of a track's hand-over to the bailiff: the assignment, the phase's state carried
 * across runs, and what the phase reports. TrackState hands its bailiff methods to this; the
 * assignment lives in the track's data. The child workflow itself is bailiff-link.ts's.
 */
export class BailiffBook {
  constructor(private readonly track: TrackCore) {}

  /**
   * The approved hand-over: the case goes to the corporation's bailiff office, under the phase's
   * workflow id. Without an office configured the approval lapses (null).
   */
  handOver(workflowId: string, nowMs: number): BailiffAssignment | null {
    const track = this.track;
    const officeId = track.data.settings?.bailiffOfficeId;
    if (!officeId) {
      track.record('hand-over approved, but the corporation has no bailiff office configured', nowMs);
      track.withdrawProposals((p) => p.decision === 'handover' && p.status === 'approved');
      return null;
    }
    const on = amsterdamDate(nowMs);
    track.data.bailiff = { officeId, workflowId, ended: false, evictionDate: null };
    track.emit('handed_over', workflowId, on, track.outstanding(on));
    track.moveTo('bailiff_amicable', nowMs);
    return track.data.bailiff;
  }

  /** The handed-over phase runs again in this run: its state is no longer carried. */
  resumed(bailiff: BailiffAssignment, nowMs: number): void {
    delete bailiff.carried;
    this.track.record(`bailiff phase resumed in this run (stage ${this.track.stage})`, nowMs);
  }

  /** The phase handed over its state: the next run starts it again from there. */
  carry(bailiff: BailiffAssignment, state: BailiffPhaseState): void {
    bailiff.carried = state;
  }

  /** The phase stopped, or ended without a report the track could take its end from. */
  ended(bailiff: BailiffAssignment): void {
    bailiff.ended = true;
  }

  private get ref(): string {
    return this.track.data.bailiff?.workflowId ?? 'bailiff';
  }

  /** What the bailiff phase reports: its stage, fees, money it collected, the eviction date, its end. */
  applyProgress(progress: BailiffProgress, nowMs: number): void {
    const track = this.track;
    const data = track.data;
    const today = amsterdamDate(nowMs);
    if (progress.event) track.record(progress.event, nowMs);
    if (progress.fee) {
      track.chargeCosts({ kind: 'bailiff_fee', letterId: `bailiff:${progress.fee.ref}`, chargedOn: progress.fee.on, collectionCosts: progress.fee.amount, vat: '0.00' }, nowMs);
    }
    if (progress.collected) {
      track.registerPayment({ transactionId: `bailiff:${progress.collected.eventId}`, amount: progress.collected.amount, bookedOn: progress.collected.on }, nowMs);
    }
    if (progress.evictionDate && data.bailiff) data.bailiff.evictionDate = progress.evictionDate;
    if (progress.stage === 'court' && !data.courtStartedOn) {
      data.courtStartedOn = today;
      track.emit('court_case_started', this.ref, today);
    }
    // The bailiff phase reports the eviction by moving on to collection afterwards.
    if ((progress.stage === 'evicted' || progress.stage === 'post_eviction') && data.stage !== 'evicted' && data.stage !== 'post_eviction') {
      track.emit('evicted', this.ref, today);
    }
    if (progress.stage && !track.closed && !track.parked) track.moveTo(progress.stage, nowMs);
    if (progress.ended && data.bailiff) {
      if (data.courtStartedOn) track.emit('court_case_ended', this.ref, today, null, data.courtStartedOn);
      data.bailiff.ended = true;
      if (progress.ended.outcome === 'returned' && !track.closed) {
        // Returned by the office: back with the corporation, which decides on a new hand-over or a write-off.
        data.bailiff = null;
        track.withdrawProposals((p) => p.status === 'approved' && p.decision !== 'write_off');
        track.moveTo('awaiting_handover', nowMs);
      }
    }
  }
}
