import type { Kysely } from 'kysely';
import type { Database } from '../infra/db/database.js';
import type { EarlyWarningReceipt, EarlyWarningRequest } from '../shared/track/early-warning.js';
import { createMunicipalityActivities } from './municipality.js';
import type { ServiceEndpoint } from './service-client.js';

export function createEarlyWarningActivities(db: Kysely<Database>, municipality: ServiceEndpoint) {
  const { notifyMunicipality } = createMunicipalityActivities(municipality);
  return {
    /**
     * The early-warning signal (vroegsignalering, domain.md §7). The municipality service looks up
     * the tenant's contact details by case id and hands the signal to the matching platform, once
     * per idempotency key; this keeps the signal and its evidence (the reminders, the contact
     * attempts, the receipt) as courts ask for it before an eviction. Retried or repeated, it sends
     * nothing twice and answers the receipt of the first call.
     */
    async sendEarlyWarning(request: EarlyWarningRequest): Promise<EarlyWarningReceipt> {
      const stored = await db
        .selectFrom('early_warning_signal')
        .select(['signal_id', 'receipt', 'signal_date'])
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirst();
      if (stored) return { signalId: stored.signal_id, receipt: stored.receipt, sentOn: stored.signal_date };

      const { signalId, receipt } = await notifyMunicipality({
        idempotencyKey: request.idempotencyKey,
        caseId: request.caseId,
        kind: 'early_warning',
        arrears: request.arrears,
        signalDate: request.signalDate,
        municipalityCode: request.municipalityCode,
      });

      await db
        .insertInto('early_warning_signal')
        .values({
          signal_id: signalId,
          idempotency_key: request.idempotencyKey,
          case_id: request.caseId,
          corporation_id: request.corporationId,
          municipality_code: request.municipalityCode,
          arrears: request.arrears,
          in_default_since: request.inDefaultSince,
          signal_date: request.signalDate,
          reminder_letter_ids: [...request.evidence.reminderLetterIds],
          contact_task_ids: [...request.evidence.contactTaskIds],
          receipt,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      const evidence = await db
        .selectFrom('early_warning_signal')
        .select(['signal_id', 'receipt', 'signal_date'])
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirstOrThrow();
      return { signalId: evidence.signal_id, receipt: evidence.receipt, sentOn: evidence.signal_date };
    },
  };
}
