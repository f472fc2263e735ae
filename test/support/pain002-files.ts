/**
 * pain.002 status reports as a bank answers a pain.008 (interfaces.md §1.6), .001.03 or .001.10,
 * built from a few lines of description: a whole file or batch rejected, or single transactions.
 */
export interface Pain002Tx {
  readonly endToEndId: string;
  readonly status: 'RJCT' | 'ACCP' | 'PDNG';
  readonly reason?: string;
  readonly amount?: string;
}

export interface Pain002Batch {
  readonly paymentInfoId: string;
  readonly status?: 'RJCT' | 'ACCP' | 'PART';
  readonly reason?: string;
  readonly txs?: readonly Pain002Tx[];
}

export interface Pain002File {
  readonly version?: '03' | '10';
  readonly messageId?: string;
  readonly createdAt?: string;
  /** Our pain.008's MsgId. */
  readonly originalMessageId: string;
  readonly groupStatus?: 'RJCT' | 'ACCP' | 'PART';
  readonly groupReason?: string;
  readonly batches?: readonly Pain002Batch[];
}

const reasonXml = (code?: string) => (code ? `<StsRsnInf><Rsn><Cd>${code}</Cd></Rsn></StsRsnInf>` : '');

export function pain002Xml({ version = '03', messageId = 'PSR-1', createdAt = '2026-06-30T05:48:10', originalMessageId, groupStatus, groupReason, batches = [] }: Pain002File): string {
  const tx = (t: Pain002Tx, i: number) =>
    `<TxInfAndSts><StsId>${messageId}-${i + 1}</StsId><OrgnlEndToEndId>${t.endToEndId}</OrgnlEndToEndId><TxSts>${t.status}</TxSts>${reasonXml(t.reason)}${
      t.amount ? `<OrgnlTxRef><Amt><InstdAmt Ccy="EUR">${t.amount}</InstdAmt></Amt></OrgnlTxRef>` : ''
    }</TxInfAndSts>`;
  const batch = (b: Pain002Batch) =>
    `<OrgnlPmtInfAndSts><OrgnlPmtInfId>${b.paymentInfoId}</OrgnlPmtInfId>${b.status ? `<PmtInfSts>${b.status}</PmtInfSts>` : ''}${reasonXml(b.reason)}${(b.txs ?? []).map(tx).join('')}</OrgnlPmtInfAndSts>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.${version}">
 <CstmrPmtStsRpt>
  <GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>${createdAt}</CreDtTm></GrpHdr>
  <OrgnlGrpInfAndSts><OrgnlMsgId>${originalMessageId}</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId>${groupStatus ? `<GrpSts>${groupStatus}</GrpSts>` : ''}${reasonXml(groupReason)}</OrgnlGrpInfAndSts>
  ${batches.map(batch).join('\n  ')}
 </CstmrPmtStsRpt>
</Document>
`;
}
