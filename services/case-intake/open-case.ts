import type { Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import type { CaseIntake } from './case-intake.js';
import { recordCase, type RecordCaseOptions, type RecordedCase } from './record-case.js';
import type { TrackOpener } from '../track-client/track-opener.js';

export interface OpenedCase {
  readonly caseId: string;
  readonly workflowId: string;
  /** This call started the track (a first claim, or a new cycle on a closed contract). */
  readonly opened: boolean;
  /** The contract's track has closed and knew every claim: nothing happened. */
  readonly closed: boolean;
}

/**
 * A contract's claims in: the case, its debtor and claims in Postgres first (the track holds no
 * personal data and finds them there), then the track opened or extended with the claims. Both
 * steps take a repeat as a no-op (by contract and invoiceRef), so a retried call adds nothing.
 */
export async function openCase(
  db: Kysely<Database>,
  opener: Pick<TrackOpener, 'openOrExtend'>,
  request: CaseIntake,
  options: RecordCaseOptions & {
    /** Told the case as soon as it is stored, before the engine is asked (the API's audit trail). */ onRecorded?: (caseId: string) => void;
    /** Stored already, as recordCase stores it (a batch stores new contracts in bulk: open-cases.ts). */ recorded?: RecordedCase;
  } = {},
): Promise<OpenedCase> {
  // The payment reference is issued with the case, so the track opens without asking the bank service for it.
  const { caseId, workflowId, paymentReference } = options.recorded ?? (await recordCase(db, request, { ...options, issuePaymentReference: true }));
  options.onRecorded?.(caseId);
  const { opened, closed } = await opener.openOrExtend(
    { caseId, corporationId: request.corporationId, workflowId, ...(paymentReference ? { paymentReference } : {}) },
    request.segment,
    request.claims.map(({ invoiceRef, amount, dueDate }) => ({ invoiceRef, amount, dueDate })),
    { tenantDeparted: request.tenantDeparted, ...(request.municipalityCode ? { municipalityCode: request.municipalityCode } : {}) },
  );
  return { caseId, workflowId, opened, closed: closed ?? false };
}
