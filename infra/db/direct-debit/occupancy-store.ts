import { extractIBAN } from 'ibantools';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';
import type { MandateChange } from '../direct-debit-tables.js';

export interface OccupancyInput {
  readonly creditorId: string;
  readonly corporationId: string;
  readonly contractRef: string;
  readonly unitRef: string;
  readonly occupant: { readonly name: string; readonly address: { readonly street: string; readonly postalCode: string; readonly city: string }; readonly email: string | null; readonly iban: string | null };
  readonly movedInOn: string;
  readonly mandate: { readonly mandateId: string; readonly signedOn: string; readonly iban: string; readonly bic: string | null };
  readonly advance: { readonly amount: string; readonly from: string };
}

export type StoreOccupancyResult =
  | { readonly kind: 'stored'; readonly created: boolean; readonly mandateVersion: number; readonly amended: MandateChange | null }
  | { readonly kind: 'conflict'; readonly fields: readonly string[] }
  | { readonly kind: 'month_already_announced'; readonly month: string };

const bankOf = (iban: string) => {
  const parts = extractIBAN(iban);
  return `${parts.countryCode ?? ''}:${parts.bankIdentifier ?? iban.slice(4, 8)}`;
};

/** What a new mandate version changes against the previous one; null when neither id nor account did. */
export function mandateChange(previous: { mandate_id: string; iban: string }, next: { mandateId: string; iban: string }): MandateChange | null {
  const change: MandateChange = {};
  if (previous.mandate_id !== next.mandateId) change.mandateId = { from: previous.mandate_id, to: next.mandateId };
  if (previous.iban !== next.iban) {
    change.iban = { from: previous.iban, to: next.iban };
    change.changedBank = bankOf(previous.iban) !== bankOf(next.iban);
  }
  return Object.keys(change).length > 0 ? change : null;
}

/** The advance in force for a month: the latest recorded from that month or before; null when none. */
export async function advanceForMonth(db: Kysely<Database> | Transaction<Database>, occupancyId: string, month: string): Promise<string | null> {
  const row = await db
    .selectFrom('occupancy_advance')
    .select('amount')
    .where('occupancy_id', '=', occupancyId)
    .where('from_month', '<=', month)
    .orderBy('from_month', 'desc')
    .orderBy('advance_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.amount ?? null;
}

/** The first month from `month` on that a run already announced (a debit planned or further); null when none. */
export async function announcedMonthFrom(db: Kysely<Database> | Transaction<Database>, occupancyId: string, month: string): Promise<string | null> {
  const row = await db
    .selectFrom('direct_debit')
    .select('month')
    .where('occupancy_id', '=', occupancyId)
    .where('month', '>=', month)
    .orderBy('month')
    .limit(1)
    .executeTakeFirst();
  return row?.month ?? null;
}

export async function recordAdvance(
  trx: Kysely<Database> | Transaction<Database>,
  occupancyId: string,
  advance: { amount: string; from: string; requestedBy: 'client' | 'occupant' },
  recordedBy: string,
): Promise<{ kind: 'recorded' } | { kind: 'month_already_announced'; month: string }> {
  const announced = await announcedMonthFrom(trx, occupancyId, advance.from);
  if (announced) return { kind: 'month_already_announced', month: announced };
  await trx
    .insertInto('occupancy_advance')
    .values({ occupancy_id: occupancyId, from_month: advance.from, amount: advance.amount, requested_by: advance.requestedBy, recorded_by: recordedBy })
    .execute();
  return { kind: 'recorded' };
}

/**
 * Stores an occupancy as billing sends it: the occupant's details in place (they are not history),
 * the mandate as a new version when its id, account or date changed (with what changed, which the
 * next debit carries as an amendment), and the advance when it differs from the one in force.
 */
export async function storeOccupancy(db: Kysely<Database>, occupancyId: string, input: OccupancyInput, today: string, recordedBy: string): Promise<StoreOccupancyResult> {
  return db.transaction().execute(async (trx): Promise<StoreOccupancyResult> => {
    const existing = await trx.selectFrom('occupancy').select(['creditor_id', 'corporation_id', 'contract_ref']).where('occupancy_id', '=', occupancyId).forUpdate().executeTakeFirst();
    if (existing) {
      const fields = [
        existing.creditor_id !== input.creditorId ? 'creditorId' : null,
        existing.corporation_id !== input.corporationId ? 'corporationId' : null,
        existing.contract_ref !== input.contractRef ? 'contractRef' : null,
      ].filter((f): f is string => f !== null);
      if (fields.length > 0) return { kind: 'conflict', fields };
    }
    const personal = {
      unit_ref: input.unitRef,
      occupant_name: input.occupant.name,
      occupant_street: input.occupant.address.street,
      occupant_postal_code: input.occupant.address.postalCode,
      occupant_city: input.occupant.address.city,
      occupant_email: input.occupant.email,
      occupant_iban: input.occupant.iban,
      moved_in_on: input.movedInOn,
    };
    if (existing) {
      await trx.updateTable('occupancy').set({ ...personal, updated_at: new Date() }).where('occupancy_id', '=', occupancyId).execute();
    } else {
      await trx
        .insertInto('occupancy')
        .values({ occupancy_id: occupancyId, creditor_id: input.creditorId, corporation_id: input.corporationId, contract_ref: input.contractRef, ...personal })
        .execute();
    }

    const latest = await trx.selectFrom('occupancy_mandate').selectAll().where('occupancy_id', '=', occupancyId).orderBy('version', 'desc').limit(1).executeTakeFirst();
    let mandateVersion = latest?.version ?? 0;
    let amended: MandateChange | null = latest?.amended ?? null;
    const mandate = input.mandate;
    const same = latest && latest.mandate_id === mandate.mandateId && latest.iban === mandate.iban && latest.signed_on === mandate.signedOn && latest.bic === mandate.bic;
    if (!same) {
      amended = latest ? mandateChange(latest, mandate) : null;
      mandateVersion += 1;
      await trx
        .insertInto('occupancy_mandate')
        .values({
          occupancy_id: occupancyId,
          version: mandateVersion,
          mandate_id: mandate.mandateId,
          signed_on: mandate.signedOn,
          iban: mandate.iban,
          bic: mandate.bic,
          valid_from: today,
          amended: amended ? JSON.stringify(amended) : null,
          recorded_by: recordedBy,
        })
        .execute();
    }

    const inForce = await advanceForMonth(trx, occupancyId, input.advance.from);
    if (inForce === null || inForce !== input.advance.amount) {
      const recorded = await recordAdvance(trx, occupancyId, { ...input.advance, requestedBy: 'client' }, recordedBy);
      if (recorded.kind === 'month_already_announced') throw new MonthAlreadyAnnounced(recorded.month);
    }
    return { kind: 'stored', created: !existing, mandateVersion, amended };
  }).catch((error: unknown): StoreOccupancyResult => {
    if (error instanceof MonthAlreadyAnnounced) return { kind: 'month_already_announced', month: error.month } as const;
    throw error;
  });
}

/** Rolls the transaction back (nothing of the request is kept) and says which month stood in the way. */
class MonthAlreadyAnnounced extends Error {
  constructor(readonly month: string) {
    super(`month ${month} is already announced`);
  }
}
