import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { maxIsoDate } from '../../shared/calendar/iso-date.js';
import type { TrackStatus } from '../../shared/track/track-status.js';
import type { TrackState } from './track-state.js';

/**
 * The track as the API shows it (the status query, and the result a run completes with). A query
 * runs at the time of the track's last activity, so a caller's later date moves interest on to it;
 * an earlier one never shows less than the track's own today.
 */
export function trackStatusView(track: TrackState, nowMs: number, requestedAsOf?: string): TrackStatus {
  const workflowToday = amsterdamDate(nowMs);
  const asOf = requestedAsOf ? maxIsoDate(requestedAsOf, workflowToday) : workflowToday;
  const ledger = track.ledger(asOf);
  const d = track.data;
  return {
    caseId: d.input.caseId,
    corporationId: d.input.corporationId,
    stage: d.stage,
    closedReason: d.closedReason,
    segment: { proposed: d.input.proposedSegment, confirmed: d.confirmedSegment },
    asOf,
    balance: ledger.balance,
    interestProvisional: ledger.provisionalInterest,
    nextDeadline: d.nextDeadline,
    claims: ledger.claims.map((c) => ({ ...c, wikLetterId: d.letters.findLast((l) => l.kind === 'wik' && l.invoiceRefs.includes(c.invoiceRef))?.letterId ?? null })),
    payments: d.payments,
    letters: d.letters,
    arrangement: arrangementView(track),
    arrangements: d.arrangements.length,
    tasks: d.tasks,
    earlyWarning: d.earlyWarning ? { sentOn: d.earlyWarning.sentOn, receipt: d.earlyWarning.receipt, arrears: d.earlyWarning.arrears } : null,
    earlyWarningObjection: d.earlyWarningObjection,
    holds: d.holds,
    claimFilings: d.claimFilings,
    policyVersion: d.policy?.version ?? null,
    promisedUntil: d.promisedUntil,
    exceptions: d.exceptions.map((e) => e.kind),
    parkedSince: d.exceptions[0]?.since ?? null,
    proposals: d.proposals,
    bailiff: d.bailiff ? { officeId: d.bailiff.officeId, evictionDate: d.bailiff.evictionDate, ended: d.bailiff.ended } : null,
    costCharges: d.costCharges,
    timeline: d.timeline,
    run: d.run,
  };
}

/** The latest arrangement, running or ended: the status shows how it went. */
function arrangementView(track: TrackState): TrackStatus['arrangement'] {
  const a = track.data.arrangements.at(-1);
  if (!a) return null;
  return {
    arrangementId: a.arrangementId,
    status: a.status,
    acceptedOn: a.acceptedOn,
    total: a.total,
    paid: track.paidSince(a),
    instalments: a.instalments,
    endedOn: a.endedOn,
    policyVersion: a.policyVersion,
  };
}
