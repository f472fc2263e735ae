import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/db/database.js';
import { unpaidAdvanceInvoiceRef, type UnpaidAdvanceClaim } from '../shared/direct-debit/debit-outcome.js';
import { openCase } from '../services/case-intake/open-case.js';
import type { TrackOpener } from '../services/track-client/track-opener.js';
import { HttpError } from '../services/http/errors.js';

export interface UnpaidAdvanceHandedOver {
  readonly caseId: string;
  readonly workflowId: string;
  readonly invoiceRef: string;
  /** This call started the contract's track (it was not running). */
  readonly opened: boolean;
}

/** Why a hand-over cannot succeed by trying again: the advance account decides what then. */
export const unpaidAdvanceRefusedType = 'UnpaidAdvanceRefused';

export function createUnpaidAdvanceActivities(db: Kysely<Database>, opener: TrackOpener) {
  return {
    /**
     * Hands an advance that stays unpaid to the huurincasso track of the occupancy's contract, as
     * billing hands over rent (POST /v1/cases): the case with the occupant as its debtor when the
     * contract has none yet, the claim under `advance-<occupancyId>-<month>`, the track started or
     * extended. The invoiceRef makes a retry or a repeat add the claim once.
     */
    async claimUnpaidAdvance(claim: UnpaidAdvanceClaim): Promise<UnpaidAdvanceHandedOver> {
      const occupancy = await db.selectFrom('occupancy').selectAll().where('occupancy_id', '=', claim.occupancyId).executeTakeFirst();
      if (!occupancy || occupancy.corporation_id !== claim.corporationId) {
        throw ApplicationFailure.nonRetryable(`no occupancy ${claim.occupancyId} of corporation ${claim.corporationId}`, unpaidAdvanceRefusedType);
      }
      const invoiceRef = unpaidAdvanceInvoiceRef(claim.occupancyId, claim.month);
      try {
        const opened = await openCase(
          db,
          opener,
          {
            corporationId: occupancy.corporation_id,
            contractRef: occupancy.contract_ref,
            debtor: {
              name: occupancy.occupant_name,
              address: { street: occupancy.occupant_street, postalCode: occupancy.occupant_postal_code, city: occupancy.occupant_city },
              ...(occupancy.occupant_email ? { email: occupancy.occupant_email } : {}),
              ...(occupancy.occupant_iban ? { iban: occupancy.occupant_iban } : {}),
            },
            segment: 'unknown',
            // Moved out: the track asks for payment only, never eviction.
            tenantDeparted: occupancy.moved_out_on !== null,
            claims: [{ invoiceRef, description: `Voorschot servicekosten ${claim.month}`, amount: claim.amount, dueDate: claim.dueDate }],
          },
          { changedBy: 'collection service', debtor: 'keep_recorded' },
        );
        return { caseId: opened.caseId, workflowId: opened.workflowId, invoiceRef, opened: opened.opened };
      } catch (error) {
        // A refusal (the claim known with another amount, the corporation gone, the track
        // terminated) answers the same however often it is asked: not retried.
        if (error instanceof HttpError && error.status < 500) throw ApplicationFailure.nonRetryable(`${error.code}: ${error.message}`, unpaidAdvanceRefusedType);
        throw error;
      }
    },
  };
}
