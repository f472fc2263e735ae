import type { IsoDate } from '../../shared/calendar/iso-date.js';
import { formatMoney, money, Money, type MoneyString } from '../../shared/money.js';
import type { ArrangementProgress, ArrangementRequest } from '../../shared/arrangement/arrangement-messages.js';
import type { Stage } from '../../shared/track/stages.js';
import type { TrackArrangement } from './track-data.js';
import type { TrackCore } from './track-core.js';

/** How an arrangement ends, from the track's side (paid, written off, an exception) or its monitor's. */
export interface ArrangementEnding {
  readonly status: 'breached' | 'completed' | 'cancelled';
  readonly on: IsoDate;
  /** A breach: what the missed instalment lacked. */
  readonly shortfall?: MoneyString;
  /** The timeline's words after "arrangement <id>"; none for a cancellation the monitor reports. */
  readonly note?: string;
  /**
   * The stage the track goes on from, if it still stands in the arrangement's stage; `always` for
   * an exception, which parks the track from the stage before the arrangement wherever it stands.
   */
  readonly resumeAt?: Stage;
  readonly always?: true;
}

/**
 * The bookkeeping of a track's payment arrangements: acceptance, the monitor's watch, and how each
 * ends. TrackState hands its arrangement methods to this; the arrangements live in the track's data.
 */
export class ArrangementBook {
  constructor(private readonly track: TrackCore) {}

  get active(): TrackArrangement | undefined {
    return this.track.data.arrangements.find((a) => a.status === 'accepted' || a.status === 'active');
  }

  /** Paid towards an arrangement: what came in (and stayed) after its acceptance, never below 0.00. */
  paidSince(arrangement: TrackArrangement): MoneyString {
    return formatMoney(Money.max(money(this.track.paidTotal()).minus(arrangement.paidBefore), 0));
  }

  /** Accepted today under the policy's rules (already checked); the monitor starts with the confirmation letter. */
  accept(arrangementId: string, request: ArrangementRequest, terms: { total: MoneyString; firstDueDate: IsoDate }, on: IsoDate, nowMs: number): void {
    const track = this.track;
    track.data.arrangements.push({
      arrangementId,
      acceptedOn: on,
      acceptedBy: request.actor,
      instalments: request.instalments,
      total: terms.total,
      paidBefore: track.paidTotal(),
      stageBefore: track.stage,
      policyVersion: track.data.policy?.version ?? 0,
      status: 'accepted',
      endedOn: null,
      monitorRunning: false,
      remindedInstalments: [],
    });
    track.moveTo('arrangement', nowMs, { kind: 'instalment', date: terms.firstDueDate });
    track.emit('arrangement_accepted', arrangementId, on, terms.total);
    track.record(`arrangement ${arrangementId} of ${terms.total} in ${request.instalments.length} instalments accepted by ${request.actor}`, nowMs);
  }

  /** Confirmed by letter (or carried into this run): from now on a monitor watches it. */
  monitor(arrangement: TrackArrangement): void {
    arrangement.status = 'active';
    arrangement.monitorRunning = true;
  }

  /** The monitors ended with the run that started them; the next run starts them again. */
  monitorsHandedOver(): void {
    for (const arrangement of this.track.data.arrangements) arrangement.monitorRunning = false;
  }

  end(arrangement: TrackArrangement, ending: ArrangementEnding, nowMs: number): void {
    const track = this.track;
    arrangement.status = ending.status;
    arrangement.endedOn = ending.on;
    if (ending.status === 'completed') track.emit('arrangement_kept', arrangement.arrangementId, ending.on, arrangement.total);
    if (ending.status === 'breached') track.emit('arrangement_breached', arrangement.arrangementId, ending.on, ending.shortfall ?? null);
    if (ending.note) track.record(`arrangement ${arrangement.arrangementId} ${ending.note}`, nowMs);
    if (ending.resumeAt && (ending.always || track.data.stage === 'arrangement')) track.moveTo(ending.resumeAt, nowMs);
  }

  /** What the arrangement's monitor reports: a reminder sent, or how the arrangement ended. */
  applyProgress(progress: ArrangementProgress, nowMs: number): void {
    const arrangement = this.track.data.arrangements.find((a) => a.arrangementId === progress.arrangementId);
    if (!arrangement) return;
    if (progress.kind !== 'reminder_sent') arrangement.monitorRunning = false;
    switch (progress.kind) {
      case 'reminder_sent': {
        const reminded = (arrangement.remindedInstalments ??= []);
        if (reminded.includes(progress.instalment)) return;
        reminded.push(progress.instalment);
        this.track.record(`instalment ${progress.instalment + 1} reminder sent (letter ${progress.letterId})`, nowMs);
        return;
      }
      case 'breached':
        if (arrangement.status !== 'active') return;
        // Control goes back to the track, at the step where it stood; interest over the period is owed again.
        this.end(
          arrangement,
          { status: 'breached', on: progress.on, shortfall: progress.shortfall, note: `breached: instalment ${progress.instalment + 1} short by ${progress.shortfall}`, resumeAt: arrangement.stageBefore },
          nowMs,
        );
        this.track.data.policyLoadedForCycle = 0;
        return;
      case 'completed':
        if (arrangement.status !== 'active') return;
        // Paid in full closes the track (the loop sees the zero balance); rent that fell due meanwhile
        // and stayed unpaid starts a cycle of its own.
        this.end(arrangement, { status: 'completed', on: progress.on, note: 'completed', resumeAt: 'reminder' }, nowMs);
        return;
      case 'cancelled':
        if (arrangement.status === 'active' || arrangement.status === 'accepted') this.end(arrangement, { status: 'cancelled', on: progress.on, resumeAt: arrangement.stageBefore }, nowMs);
        return;
    }
  }
}
