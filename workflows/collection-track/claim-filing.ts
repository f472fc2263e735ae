import { ActivityFailure, isCancellation, patched, workflowInfo } from '@temporalio/workflow';
import { formatMoney, money, sumMoney } from '../../shared/money.js';
import { serviceActivities } from '../activity-proxies.js';
import type { TrackState } from './track-state.js';
import { today } from '../workflow-clock.js';

const { fileClaim, sendLetter } = serviceActivities;

/** The amounts as they stood on the ruling's day: interest stops there (WSNP), costs already charged count. */
export async function fileClaimInProceeding(track: TrackState, proceeding: 'wsnp' | 'bankruptcy', rulingDate: string): Promise<void> {
  const ledger = track.ledger(rulingDate);
  const open = ledger.claims.filter((c) => money(c.open).gt(0) || money(c.openInterest).gt(0));
  const principal = sumMoney(open.map((c) => c.open));
  const interest = sumMoney(open.map((c) => c.openInterest));
  const total = money(ledger.balance.outstanding);
  const costs = formatMoney(total.minus(principal).minus(interest));
  const filing = await fileClaim({
    idempotencyKey: `${workflowInfo().workflowId}/claim-filing/${proceeding}`,
    caseId: track.input.caseId,
    proceeding,
    rulingDate,
    invoiceRefs: open.map((c) => c.invoiceRef),
    principal: formatMoney(principal),
    interest: formatMoney(interest),
    costs,
    total: formatMoney(total),
    filedOn: today(),
  });
  track.addClaimFiling(proceeding, filing.filingId, filing.filedOn);
  track.record(`claim of ${formatMoney(total)} filed in the ${proceeding} (filing ${filing.filingId})`, Date.now());
  // The tenant is told what was filed and that it is not to be paid to us (tracks recorded before this letter filed without it).
  if (open.length === 0 || !patched('claim-filing-letter')) return;
  try {
    const letter = await sendLetter({
      idempotencyKey: `${workflowInfo().workflowId}/claim-filing/${proceeding}/letter`,
      caseId: track.input.caseId,
      kind: 'claim_filing',
      postedOn: filing.filedOn,
      policyVersion: track.data.policy?.version,
      facts: {
        invoiceRefs: open.map((c) => c.invoiceRef),
        principal: formatMoney(principal),
        interest: formatMoney(interest),
        outstanding: formatMoney(total),
        claimFiling: { proceeding, rulingDate, costs },
      },
    });
    track.record(`claim_filing letter ${letter.letterId} posted on ${letter.postedOn}`, Date.now());
  } catch (error) {
    // Refused for good by the letter service: the filing stands and the track stays parked, not failed.
    if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
    track.record('the claim filing letter was refused by the letter service', Date.now());
  }
}
