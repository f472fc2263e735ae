/**
 * What a pain.008 file says, before it is XML: the input of the builders in this folder. The
 * collection run assembles it from Postgres inside the bank service (names and IBANs never pass
 * through a workflow). Amounts are decimal strings to the cent; dates are ISO dates.
 */
export type Pain008Version = 'pain.008.001.02' | 'pain.008.001.08';

export type SequenceType = 'FRST' | 'RCUR' | 'OOFF' | 'FNAL';

export interface PostalAddress {
  readonly townName: string;
  readonly country: string;
  readonly streetName?: string;
  readonly buildingNumber?: string;
  readonly postCode?: string;
}

export interface CollectionFile {
  /** `GrpHdr/MsgId`, at most 35 characters, unique per creditor: the file's idempotency key. */
  readonly messageId: string;
  /** `GrpHdr/CreDtTm`, an ISO instant. */
  readonly createdAt: string;
  readonly initiatingPartyName: string;
  readonly creditor: {
    readonly name: string;
    readonly iban: string;
    readonly bic?: string;
    /** The incassant-ID whose mandates these are (the client's in the service-company mode). */
    readonly creditorIdentifier: string;
    readonly address?: PostalAddress;
  };
  readonly batches: readonly CollectionBatch[];
}

/** One `PmtInf`: one collection date and sequence type. */
export interface CollectionBatch {
  readonly paymentInfoId: string;
  readonly collectionDate: string;
  readonly sequenceType: SequenceType;
  /** `BtchBookg`: true books the batch as one credit on the statement. */
  readonly batchBooking: boolean;
  readonly debits: readonly Debit[];
}

export interface Debit {
  /** At most 35 characters; every R-message and camt line carries it back. */
  readonly endToEndId: string;
  readonly amount: string;
  readonly mandate: {
    readonly mandateId: string;
    readonly signedOn: string;
    /** Set on the first debit after a change of mandate id, debtor account or creditor identifier (`AmdmntInd` true). */
    readonly amendment?: MandateAmendment;
  };
  readonly debtor: { readonly name: string; readonly iban: string; readonly bic?: string; readonly address?: PostalAddress };
  /** `RmtInf/Ustrd`, at most 140 characters: what the occupant reads on the statement. */
  readonly remittance: string;
}

export interface MandateAmendment {
  readonly originalMandateId?: string;
  /** The creditor identifier the mandate was last collected under, when it changed (`OrgnlCdtrSchmeId`). */
  readonly originalCreditorIdentifier?: string;
  /** The old IBAN when the account changed at the same bank; `changedBank` marks SMNDA. */
  readonly originalDebtorIban?: string;
  readonly changedBank?: boolean;
}
