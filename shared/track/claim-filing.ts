/**
 * Filing the claim in a WSNP or a bankruptcy (domain.md §8): the track sends ids and the amounts
 * as they stood on the ruling's day; the activity adds the debtor's details and records the filing.
 */
export interface ClaimFilingRequest {
  readonly idempotencyKey: string;
  readonly caseId: string;
  readonly proceeding: 'wsnp' | 'bankruptcy';
  readonly rulingDate: string;
  readonly invoiceRefs: readonly string[];
  readonly principal: string;
  readonly interest: string;
  readonly costs: string;
  readonly total: string;
  readonly filedOn: string;
}

export interface ClaimFiling {
  readonly filingId: string;
  readonly filedOn: string;
}
