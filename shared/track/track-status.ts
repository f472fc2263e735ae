import type { MoneyString } from '../money.js';
import type { Proposal } from './decisions.js';
import type { Balance, CostCharge } from './balance.js';
import type { ClosedReason, Segment, Stage } from './stages.js';

/** A track's answer to "where does this case stand", in the shape of api.md's GET /v1/cases/:caseId. */
export interface TrackStatus {
  readonly caseId: string;
  readonly corporationId: string;
  readonly stage: Stage;
  readonly closedReason: ClosedReason | null;
  readonly segment: { readonly proposed: Segment; readonly confirmed: Segment | null };
  readonly asOf: string;
  readonly balance: Balance;
  /** Interest ran past the published rate table: computed with the last known rate until the table is extended. */
  readonly interestProvisional: boolean;
  readonly nextDeadline: { readonly kind: string; readonly date: string } | null;
  /** Each claim with the 14-day letter that holds it: only such a claim can carry collection costs (art. 6:96 BW). */
  readonly claims: ReadonlyArray<{ readonly invoiceRef: string; readonly amount: MoneyString; readonly dueDate: string; readonly open: MoneyString; readonly wikLetterId: string | null }>;
  readonly payments: ReadonlyArray<{ readonly transactionId: string; readonly amount: MoneyString; readonly bookedOn: string; readonly reversedOn?: string }>;
  readonly letters: ReadonlyArray<LetterRecord>;
  /** The latest payment arrangement, if any (`arrangements` counts them all). */
  readonly arrangement: {
    readonly arrangementId: string;
    readonly status: 'accepted' | 'active' | 'breached' | 'completed' | 'cancelled';
    readonly acceptedOn: string;
    readonly total: MoneyString;
    readonly paid: MoneyString;
    readonly instalments: ReadonlyArray<{ readonly dueDate: string; readonly amount: MoneyString }>;
    readonly endedOn: string | null;
    readonly policyVersion: number;
  } | null;
  readonly arrangements: number;
  readonly tasks: ReadonlyArray<{ readonly taskId: string; readonly kind: string; readonly status: string; readonly openedOn: string; readonly expiresOn: string; readonly outcome: string | null }>;
  readonly earlyWarning: { readonly sentOn: string; readonly receipt: string; readonly arrears: MoneyString } | null;
  readonly earlyWarningObjection: { readonly on: string; readonly by: string } | null;
  readonly holds: ReadonlyArray<{ readonly holdId: string; readonly from: string; readonly releasedOn: string | null }>;
  /** The collection-policy version that governs the current cycle (0: the built-in default). */
  readonly policyVersion: number | null;
  readonly claimFilings: ReadonlyArray<{ readonly proceeding: string; readonly filingId: string | null; readonly filedOn: string }>;
  /** A promise to pay: escalation waits until the day after. */
  readonly promisedUntil: string | null;
  readonly exceptions: readonly string[];
  readonly parkedSince: string | null;
  readonly proposals: ReadonlyArray<Proposal>;
  readonly bailiff: { readonly officeId: string; readonly evictionDate: string | null; readonly ended: boolean } | null;
  readonly costCharges: ReadonlyArray<CostCharge>;
  readonly timeline: ReadonlyArray<{ readonly at: string; readonly event: string }>;
  /** Which run of the track this is (continue-as-new starts a new one with the same state). */
  readonly run: number;
}

/**
 * What a track's run returns when it closes: its last status, and its state for the next cycle
 * should a new claim arrive on the contract (`carry` is the workflow's plain state; absent in runs
 * that closed before it was returned).
 */
export interface ClosedTrack extends TrackStatus {
  readonly carry?: unknown;
}

export interface LetterRecord {
  readonly letterId: string;
  readonly kind: string;
  readonly date: string;
  readonly channel: string;
  readonly deliveredAt: string | null;
  readonly presumedDelivery?: string;
  readonly deadline?: string;
  /** The day after the term: collection costs are owed from here if the letter's claims are unpaid. */
  readonly costsDueFrom?: string;
  readonly invoiceRefs: readonly string[];
  /** The principal a 14-day letter claimed (its costs were computed over it). */
  readonly principal?: MoneyString;
  readonly collectionCosts?: MoneyString;
  readonly vat?: MoneyString;
  /** The collection-policy version under which the letter was sent. */
  readonly policyVersion?: number;
  /**
   * A 14-day letter for claims that fell due after the cycle's own letter: its term runs beside
   * the cycle's and does not hold up the hand-over.
   */
  readonly alongside?: boolean;
}
