/**
 * Bank files as Dutch banks write them (interfaces.md §1.7): camt.053 statements and camt.054
 * notifications, .001.02 and .001.08, built from a few lines of description so a test says only
 * what matters to it. Below test/ and bench/ alike: the benchmark stands on its own (issue 15).
 */
export interface CamtTx {
  readonly amount?: string;
  readonly endToEndId?: string;
  /** A structured creditor reference (SCOR) with issuer CUR (betalingskenmerk) or ISO (RF). */
  readonly kenmerk?: string;
  readonly issuer?: 'CUR' | 'ISO';
  readonly ustrd?: readonly string[];
  readonly counterIban?: string;
  readonly counterName?: string;
  readonly returnReason?: string;
  readonly mandateId?: string;
}

export interface CamtEntry {
  readonly amount: string;
  readonly direction?: 'CRDT' | 'DBIT';
  readonly reversal?: boolean;
  readonly bookingDate: string;
  /** AcctSvcrRef; left out when absent. */
  readonly ref?: string;
  readonly code?: readonly [string, string, string];
  readonly batch?: { readonly paymentInfoId: string };
  readonly additionalInfo?: string;
  readonly txs?: readonly CamtTx[];
}

export interface CamtFile {
  readonly kind?: '053' | '054';
  readonly version?: '02' | '08';
  readonly messageId?: string;
  readonly accountIban?: string;
  readonly entries: readonly CamtEntry[];
}

export const ourAccount = 'NL91ABNA0417164300';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function camtXml({ kind = '053', version = '02', messageId = 'MSG-1', accountIban = ourAccount, entries }: CamtFile): string {
  const v8 = version === '08';
  const tx = (t: CamtTx, entry: CamtEntry, many: boolean) => {
    const credit = (entry.direction ?? 'CRDT') === 'CRDT';
    const [party, account] = credit ? ['Dbtr', 'DbtrAcct'] : ['Cdtr', 'CdtrAcct'];
    const amount = t.amount ?? (many ? undefined : entry.amount);
    const amountXml = amount === undefined ? '' : v8 ? `<Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${entry.direction ?? 'CRDT'}</CdtDbtInd>` : `<AmtDtls><TxAmt><Amt Ccy="EUR">${amount}</Amt></TxAmt></AmtDtls>`;
    const name = t.counterName ? (v8 ? `<${party}><Pty><Nm>${esc(t.counterName)}</Nm></Pty></${party}>` : `<${party}><Nm>${esc(t.counterName)}</Nm></${party}>`) : '';
    const iban = t.counterIban ? `<${account}><Id><IBAN>${t.counterIban}</IBAN></Id></${account}>` : '';
    const rmt =
      t.kenmerk || t.ustrd
        ? `<RmtInf>${(t.ustrd ?? []).map((u) => `<Ustrd>${esc(u)}</Ustrd>`).join('')}${
            t.kenmerk ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>${t.issuer ?? 'CUR'}</Issr></Tp><Ref>${t.kenmerk}</Ref></CdtrRefInf></Strd>` : ''
          }</RmtInf>`
        : '';
    const rtr = t.returnReason ? `<RtrInf><Rsn><Cd>${t.returnReason}</Cd></Rsn></RtrInf>` : '';
    return `<TxDtls><Refs><EndToEndId>${t.endToEndId ?? 'NOTPROVIDED'}</EndToEndId>${t.mandateId ? `<MndtId>${t.mandateId}</MndtId>` : ''}</Refs>${amountXml}${
      name || iban ? `<RltdPties>${name}${iban}</RltdPties>` : ''
    }${rmt}${rtr}</TxDtls>`;
  };
  const entry = (e: CamtEntry) => {
    const [domain, family, sub] = e.code ?? ['PMNT', 'RCDT', 'ESCT'];
    const txs = e.txs ?? [];
    const batch = e.batch ? `<Btch><PmtInfId>${e.batch.paymentInfoId}</PmtInfId><NbOfTxs>${txs.length}</NbOfTxs></Btch>` : '';
    return `
   <Ntry>
    <Amt Ccy="EUR">${e.amount}</Amt><CdtDbtInd>${e.direction ?? 'CRDT'}</CdtDbtInd>${e.reversal ? '<RvslInd>true</RvslInd>' : ''}${v8 ? '<Sts><Cd>BOOK</Cd></Sts>' : '<Sts>BOOK</Sts>'}
    <BookgDt><Dt>${e.bookingDate}</Dt></BookgDt><ValDt><Dt>${e.bookingDate}</Dt></ValDt>${e.ref ? `<AcctSvcrRef>${e.ref}</AcctSvcrRef>` : ''}
    <BkTxCd><Domn><Cd>${domain}</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${sub}</SubFmlyCd></Fmly></Domn></BkTxCd>${
      txs.length || batch ? `\n    <NtryDtls>${batch}${txs.map((t) => tx(t, e, txs.length > 1)).join('')}</NtryDtls>` : ''
    }${e.additionalInfo ? `<AddtlNtryInf>${esc(e.additionalInfo)}</AddtlNtryInf>` : ''}
   </Ntry>`;
  };
  const [root, report] = kind === '053' ? ['BkToCstmrStmt', 'Stmt'] : ['BkToCstmrDbtCdtNtfctn', 'Ntfctn'];
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.${kind}.001.${version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <${root}>
  <GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>2026-07-07T02:10:00+02:00</CreDtTm></GrpHdr>
  <${report}>
   <Id>${messageId}-${accountIban}</Id><ElctrncSeqNb>187</ElctrncSeqNb><CreDtTm>2026-07-07T02:10:00+02:00</CreDtTm>
   <Acct><Id><IBAN>${accountIban}</IBAN></Id><Ccy>EUR</Ccy></Acct>${entries.map(entry).join('')}
  </${report}>
 </${root}>
</Document>
`;
}
