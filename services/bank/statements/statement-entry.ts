/**
 * One booking line of a bank file as the import reads it: an entry (`Ntry`), or one transaction of
 * a batch entry (`Ntry/NtryDtls/TxDtls`), which is matched and booked on its own. Amounts stay
 * decimal strings and references keep their leading zeros (interfaces.md §1.8).
 */
export interface StatementLine {
  /** The account the statement is of (`Acct/Id/IBAN`). */
  readonly accountIban: string;
  /** The bank's reference of the entry (`AcctSvcrRef`); null when the bank leaves it out. */
  readonly entryRef: string | null;
  /** Which transaction of its entry (0 for an entry without details). */
  readonly txIndex: number;
  readonly amount: string;
  readonly currency: string;
  readonly direction: 'CRDT' | 'DBIT';
  /** `RvslInd`: the entry undoes an earlier booking. */
  readonly reversal: boolean;
  readonly status: string | null;
  readonly bookingDate: string;
  readonly valueDate: string | null;
  /** `Domn/Cd` + `Fmly/Cd` + `SubFmlyCd` as `PMNT/RCDT/ESCT`, else the proprietary code. */
  readonly bankTxCode: string | null;
  readonly endToEndId: string | null;
  readonly mandateId: string | null;
  /** The structured creditor reference (`Strd/CdtrRefInf`), with its issuer (CUR, ISO). */
  readonly structuredRef: { readonly ref: string; readonly issuer: string | null } | null;
  /** `Ustrd` lines and the bank's `AddtlNtryInf`, where a typed betalingskenmerk may hide. */
  readonly freeText: readonly string[];
  /** The other party's account: the debtor's for a credit, the creditor's for a debit. */
  readonly counterIban: string | null;
  readonly counterName: string | null;
  /** `RtrInf/Rsn/Cd`: AC04, MD06… */
  readonly returnReason: string | null;
  /** Batch booking: the entry's `Btch/PmtInfId`. */
  readonly batchPaymentInfoId: string | null;
}

export type StatementFormat = 'camt.053.001.02' | 'camt.053.001.08' | 'camt.054.001.02' | 'camt.054.001.08';

export interface ParsedStatement {
  readonly format: StatementFormat;
  readonly messageId: string;
  /** Every account the file reports on (a file may hold several statements). */
  readonly accountIbans: readonly string[];
  readonly lines: readonly StatementLine[];
}
