import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { amsterdamInstant } from '../../shared/calendar/amsterdam-clock.js';
import { centsOf, type MoneyString } from '../../shared/money.js';
import {
  ArrangementStatus,
  BailiffOffice,
  CollectionStage,
  CorporationId,
  DebtorSegment,
  NextDeadline,
  OutstandingCents,
  ParkedReason,
} from '../../shared/search-attributes.js';
import type { TrackState } from './track-state.js';
import { today } from '../workflow-clock.js';

/**
 * Keeps the Temporal UI's view of the track current: search attributes and the details line. One
 * per run, since it remembers what it last upserted.
 */
export class TrackPublisher {
  /** Each upsert is a history event: attributes go out only when they change. */
  private lastPublished = '';

  /** `outstanding`: today's, when the caller has derived the ledger already. */
  publish(track: TrackState, outstanding: MoneyString = track.outstanding(today())): void {
    const data = track.data;
    const arrangementStatus = data.arrangements.at(-1)?.status ?? null;
    const attributes = [data.stage, data.confirmedSegment ?? data.input.proposedSegment, centsOf(outstanding), data.nextDeadline?.date ?? null, data.exceptions[0]?.kind ?? null, data.bailiff?.officeId ?? null, arrangementStatus];
    const fingerprint = JSON.stringify(attributes);
    if (fingerprint !== this.lastPublished) {
      this.lastPublished = fingerprint;
      upsertSearchAttributes([
        { key: CollectionStage, value: data.stage },
        { key: CorporationId, value: data.input.corporationId },
        { key: DebtorSegment, value: data.confirmedSegment ?? data.input.proposedSegment },
        { key: OutstandingCents, value: centsOf(outstanding) },
        { key: NextDeadline, value: data.nextDeadline ? new Date(amsterdamInstant(data.nextDeadline.date)) : null },
        { key: ParkedReason, value: data.exceptions[0]?.kind ?? null },
        { key: BailiffOffice, value: data.bailiff?.officeId ?? null },
        { key: ArrangementStatus, value: arrangementStatus },
      ]);
    }
    setCurrentDetails(detailsLine(track, outstanding));
  }
}

function detailsLine(track: TrackState, outstanding: MoneyString): string {
  const data = track.data;
  const pending = data.proposals.filter((p) => p.status === 'pending');
  const arrangement = track.activeArrangement;
  return [
    `Stage: ${data.stage}${data.closedReason ? ` (${data.closedReason})` : ''}.`,
    `Outstanding: € ${outstanding}.`,
    data.nextDeadline ? `Next: ${data.nextDeadline.kind}${data.nextDeadline.date ? ` on ${data.nextDeadline.date}` : ''}.` : '',
    data.exceptions.length ? `Parked: ${data.exceptions.map((e) => e.kind).join(', ')}.` : '',
    pending.length > 0 ? `Awaiting approval: ${pending.map((p) => p.decision).join(', ')}.` : '',
    arrangement ? `Arrangement: ${arrangement.instalments.length} instalments, total € ${arrangement.total}.` : '',
    track.onHold ? `On hold: ${data.holds.filter((h) => !h.releasedOn).map((h) => h.holdId).join(', ')}.` : '',
    data.bailiff ? `Bailiff: ${data.bailiff.officeId}${data.bailiff.evictionDate ? `, eviction ${data.bailiff.evictionDate}` : ''}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
