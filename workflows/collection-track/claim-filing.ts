import { workflowInfo } from '@temporalio/workflow';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { formatMoney, money, sumMoney } from '../../shared/money.js';
import { serviceActivities } from '../activity-proxies.js';
import type { TrackState } from './track-state.js';

const { fileClaim } = serviceActivities;

/** The amounts as they stood on the ruling's day: interest stops there (WSNP), costs already charged count. */
export async function fileClaimInProceeding(track: TrackState, proceeding: 'wsnp' | 'bankruptcy', rulingDate: string): Promise<void> {
  const ledger = track.ledger(rulingDate);
  const open = ledger.claims.filter((c) => money(c.open).gt(0) || money(c.openInterest).gt(0));
  const principal = sumMoney(open.map((c) => c.open));
  const interest = sumMoney(open.map((c) => c.openInterest));
  const total = money(ledger.balance.outstanding);
  const filing = await fileClaim({
    idempotencyKey: `${workflowInfo().workflowId}/claim-filing/${proceeding}`,
    caseId: track.input.caseId,
    proceeding,
    rulingDate,
    invoiceRefs: open.map((c) => c.invoiceRef),
    principal: formatMoney(principal),
    interest: formatMoney(interest),
    costs: formatMoney(total.minus(principal).minus(interest)),
    total: formatMoney(total),
    filedOn: amsterdamDate(Date.now()),
  });
  track.addClaimFiling(proceeding, filing.filingId, filing.filedOn);
  track.record(`claim of ${formatMoney(total)} filed in the ${proceeding} (filing ${filing.filingId})`, Date.now());
}
