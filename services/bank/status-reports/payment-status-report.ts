/**
 * A pain.002 payment status report (interfaces.md §1.6) as the import reads it: what the bank
 * says of a file we sent (a pain.008 run, or a pain.001 payout) before it is settled. Statuses are
 * the ISO codes as written (RJCT, ACCP, ACSP, PART…); amounts stay decimal strings and ids keep
 * their leading zeros. No names or IBANs: the end-to-end id finds everything else in Postgres.
 */
export type Pain002Format = 'pain.002.001.03' | 'pain.002.001.10';

export interface PaymentStatusReport {
  readonly format: Pain002Format;
  /** The report's own `GrpHdr/MsgId`. */
  readonly messageId: string;
  readonly createdAt: string | null;
  /** `OrgnlGrpInfAndSts/OrgnlMsgId`: our `MsgId` of the file this reports on. */
  readonly originalMessageId: string;
  /** `OrgnlMsgNmId`, such as `pain.008.001.02`. */
  readonly originalMessageName: string | null;
  /** `GrpSts`; RJCT on the group means the whole file was refused, with or without transactions listed. */
  readonly groupStatus: string | null;
  readonly groupReasons: readonly StatusReason[];
  readonly paymentInformation: readonly PaymentInformationStatus[];
  /** Every `TxInfAndSts` of the report, in file order, each with the batch it belongs to. */
  readonly transactions: readonly TransactionStatus[];
}

export interface PaymentInformationStatus {
  /** `OrgnlPmtInfId`: our `PmtInfId`. */
  readonly originalPaymentInfoId: string;
  /** `PmtInfSts`, or null when the bank reports only per transaction. */
  readonly status: string | null;
  readonly reasons: readonly StatusReason[];
}

export interface TransactionStatus {
  readonly originalPaymentInfoId: string;
  readonly originalEndToEndId: string;
  readonly originalInstructionId: string | null;
  /** `TxSts`; when a bank leaves it out, the status of the batch (or of the group) it stands in. */
  readonly status: string;
  /** The first reason's code (`StsRsnInf/Rsn/Cd`, or the bank's `Prtry`): AM04, MD01, AC04… */
  readonly reasonCode: string | null;
  readonly reasons: readonly StatusReason[];
  /** `OrgnlTxRef/Amt/InstdAmt`, as the bank wrote it. */
  readonly originalInstructedAmount?: string;
  /** `OrgnlTxRef/ReqdColltnDt` of a direct debit. */
  readonly originalCollectionDate?: string;
  readonly originalMandateId?: string;
}

export interface StatusReason {
  /** ISO external status reason code (`Cd`), or the bank's proprietary one (`Prtry`). */
  readonly code: string | null;
  readonly proprietary: boolean;
  readonly additionalInfo: readonly string[];
}
