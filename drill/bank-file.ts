import { amsterdamDate } from '../shared/calendar/amsterdam-clock.js';
import { addDays } from '../shared/calendar/iso-date.js';
import { money } from '../shared/money.js';
import { apiCaller } from './api-calls.js';
import { drillCluster, type DrillCluster } from './cluster.js';
import { drillCorporation, inParallel, openTrack, sleep } from './drill-tracks.js';

export interface BankFileOptions {
  readonly tracks: number;
  readonly adminUrl?: string;
  /** A running cluster to drill on (the short drills share one); default: one of the drill's own. */
  readonly cluster?: DrillCluster;
}

export interface BankFileCounts {
  readonly tracks: number;
  /** Imports of the first file (three, at the same time) and of the overlapping second file. */
  readonly imports: number;
  /** Tracks whose paid amount differs from one booking of each credit meant for them. */
  readonly balancesWrong: number;
  readonly paymentsTwice: number;
  readonly serverErrors: number;
  /** Credits the imports' answers say they booked, beyond one per credit: the counts must not lie either. */
  readonly bookingsClaimedTwice: number;
  readonly details: readonly string[];
}

const account = 'NL91ABNA0417164300';
const paymentAmount = '50.00';

/**
 * A bank's statement file imported three times at once, then a second file that overlaps it (the
 * next day's statement repeating entries, as banks do after a correction): every tenant's credit
 * is booked once, and the balances are as after one import of each entry.
 */
export async function bankFileDrill(options: BankFileOptions): Promise<BankFileCounts> {
  const { cluster, done } = await drillCluster('bank-file', options);
  try {
    const api = apiCaller(cluster.apiUrl);
    const today = amsterdamDate(Date.now());
    const tracks: { caseId: string; reference: string }[] = [];
    await inParallel(Array.from({ length: options.tracks }, (_, i) => `BANK-${i + 1}`), 8, async (contractRef) => {
      const { caseId } = await openTrack(api, cluster, contractRef, addDays(today, -20));
      // The track asks the bank service for its betalingskenmerk in its first steps: wait for it.
      for (;;) {
        const status = await api.callUntilAnswered('GET', `/v1/cases/${caseId}`, cluster.keys.operator);
        if (status.body.paymentReference) {
          tracks.push({ caseId, reference: status.body.paymentReference });
          break;
        }
        await sleep(250);
      }
    });
    const third = Math.ceil(tracks.length / 3);
    const first = tracks.slice(0, 2 * third);
    const second = tracks.slice(third);
    const entry = (t: { reference: string }) => ({ ref: `BANK-${t.reference}`, reference: t.reference });
    const fileA = statementXml('STMT-A', today, first.map(entry));
    const fileB = statementXml('STMT-B', today, second.map(entry));

    const path = `/v1/bank/statements?corporationId=${drillCorporation}`;
    // A 503 (the engine slow to take the bookings on a loaded machine) asks for the same upload
    // again, as a billing system repeats it: one more import of the same file, which must book nothing twice.
    const post = async (xml: string) => {
      for (let attempt = 1; ; attempt++) {
        const answer = await fetch(`${cluster.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${cluster.keys.billing}`, 'content-type': 'application/xml' }, body: xml });
        if (answer.status !== 503 || attempt >= 20) return answer;
        await answer.body?.cancel();
        await sleep(Math.min(5_000, 500 * attempt));
      }
    };
    const answers = [...(await Promise.all([post(fileA), post(fileA), post(fileA)])), await post(fileB), await post(fileA)];
    const serverErrors = answers.filter((a) => a.status >= 500).length;
    const details = answers.filter((a) => a.status !== 201).map((a) => `an import answered ${a.status}`);
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as { matched?: number }[];
    const bookingsClaimedTwice = Math.max(0, bodies.reduce((sum, b) => sum + (b.matched ?? 0), 0) - tracks.length);
    if (bookingsClaimedTwice > 0) details.push(`the imports' answers count ${bookingsClaimedTwice} booking(s) more than there are credits`);

    let balancesWrong = 0;
    let paymentsTwice = 0;
    for (const track of tracks) {
      const status = await api.callUntilAnswered('GET', `/v1/cases/${track.caseId}`, cluster.keys.operator);
      const payments = (status.body.payments ?? []) as { transactionId: string }[];
      const ids = new Set(payments.map((p) => p.transactionId));
      paymentsTwice += payments.length - ids.size;
      if (!money(status.body.balance.paid).equals(paymentAmount)) {
        balancesWrong++;
        details.push(`case ${track.caseId}: paid ${status.body.balance.paid}, ${payments.length} payment(s)`);
      }
    }
    return { tracks: tracks.length, imports: answers.length, balancesWrong, paymentsTwice, serverErrors, bookingsClaimedTwice, details };
  } finally {
    await done();
  }
}

/** A camt.053.001.02 statement of the corporation's account: one credit per tenant, with its betalingskenmerk. */
function statementXml(messageId: string, bookingDate: string, entries: readonly { ref: string; reference: string }[]): string {
  const ntry = entries
    .map(
      (e) => `<Ntry><Amt Ccy="EUR">${paymentAmount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>${bookingDate}</Dt></BookgDt><ValDt><Dt>${bookingDate}</Dt></ValDt><AcctSvcrRef>${e.ref}</AcctSvcrRef>` +
        `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>` +
        `<AmtDtls><TxAmt><Amt Ccy="EUR">${paymentAmount}</Amt></TxAmt></AmtDtls><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>CUR</Issr></Tp><Ref>${e.reference}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>${bookingDate}T07:00:00</CreDtTm></GrpHdr>
<Stmt><Id>${messageId}-1</Id><CreDtTm>${bookingDate}T07:00:00</CreDtTm><Acct><Id><IBAN>${account}</IBAN></Id></Acct>
${ntry}
</Stmt></BkToCstmrStmt></Document>`;
}
