import type { Kysely } from 'kysely';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../infra/db/database.js';

export interface HandOverRequest {
  readonly idempotencyKey: string;
  readonly caseId: string;
  readonly officeId: string;
  readonly handedOverOn: string;
}

export interface BailiffInstructionRequest {
  readonly idempotencyKey: string;
  readonly caseId: string;
  readonly officeId: string;
  readonly instruction: string;
  readonly [detail: string]: unknown;
}

/**
 * The hand-over to a bailiff office and the instructions that follow. Offices take files (VERA
 * INC shapes, domain notes §5): each one is a JSON document in the office's drop folder, written
 * once per idempotency key. The dossier's personal data is read here, from Postgres, by case id.
 */
export function createBailiffActivities(db: Kysely<Database>, outboxDir: string) {
  async function drop(officeId: string, name: string, document: unknown): Promise<void> {
    const folder = join(outboxDir, officeId);
    await mkdir(folder, { recursive: true });
    // Percent-encoded: one file per key ('/' and '_' in keys must not meet in one name).
    await writeFile(join(folder, `${encodeURIComponent(name)}.json`), `${JSON.stringify(document, null, 2)}\n`, 'utf8');
  }

  async function recordOnce(request: BailiffInstructionRequest, build: () => Promise<unknown>): Promise<boolean> {
    const { idempotencyKey, caseId, officeId, instruction, ...detail } = request;
    const inserted = await db
      .insertInto('bailiff_instruction')
      .values({ idempotency_key: idempotencyKey, case_id: caseId, office_id: officeId, instruction, detail: JSON.stringify(detail) })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('idempotency_key')
      .executeTakeFirst();
    // Written on every attempt: a crash between the insert and the file must not lose the file.
    await drop(officeId, idempotencyKey, await build());
    return Boolean(inserted);
  }

  return {
    async handOverToBailiff(request: HandOverRequest): Promise<void> {
      await db
        .updateTable('collection_case')
        .set({ bailiff_office_id: request.officeId, handed_over_on: request.handedOverOn })
        .where('case_id', '=', request.caseId)
        .execute();
      await recordOnce({ ...request, instruction: 'handover' }, async () => {
        const [caseRow, debtor, claims, letters, payments] = await Promise.all([
          db.selectFrom('collection_case').select(['case_id', 'corporation_id', 'contract_ref']).where('case_id', '=', request.caseId).executeTakeFirstOrThrow(),
          db.selectFrom('debtor').selectAll().where('case_id', '=', request.caseId).executeTakeFirstOrThrow(),
          db.selectFrom('claim').select(['invoice_ref', 'description', 'amount', 'due_date']).where('case_id', '=', request.caseId).orderBy('due_date').execute(),
          db.selectFrom('letter').select(['letter_id', 'kind', 'posted_on', 'delivered_on', 'template']).where('case_id', '=', request.caseId).orderBy('posted_on').execute(),
          db.selectFrom('payment').select(['transaction_id', 'amount', 'booked_on']).where('case_id', '=', request.caseId).where('reversed_on', 'is', null).orderBy('booked_on').execute(),
        ]);
        return {
          kind: 'ExterneIncasso',
          soort: 'DEU',
          startreden: 'ACH',
          overdrachtsdatum: request.handedOverOn,
          case: caseRow,
          debiteur: { name: debtor.name, street: debtor.street, postalCode: debtor.postal_code, city: debtor.city, email: debtor.email, phone: debtor.phone },
          claims,
          letters,
          payments,
        };
      });
    },

    async instructBailiff(request: BailiffInstructionRequest): Promise<void> {
      await recordOnce(request, async () => ({ kind: 'ExterneIncassoActie', ...request }));
    },
  };
}
