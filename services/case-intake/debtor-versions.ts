import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { HttpError } from '../http/errors.js';
import type { CaseDebtor } from './case-intake.js';

/** The debtor's details as the debtor and debtor_version tables hold them. */
export interface DebtorDetails {
  readonly name: string;
  readonly street: string;
  readonly postal_code: string;
  readonly city: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly iban: string | null;
  readonly bsn: string | null;
}

export const debtorDetails = (debtor: CaseDebtor): DebtorDetails => ({
  name: debtor.name,
  street: debtor.address.street,
  postal_code: debtor.address.postalCode,
  city: debtor.address.city,
  email: debtor.email ?? null,
  phone: debtor.phone ?? null,
  iban: debtor.iban ?? null,
  bsn: debtor.bsn ?? null,
});

/** "1234 AB", "1234AB" and "1234 ab" are one postal code; the rest is compared as the schema trims it. */
const comparable = (column: keyof DebtorDetails, value: string | null) =>
  column === 'postal_code' && value !== null ? value.replace(/\s+/g, '').toUpperCase() : value;

/** Where each column is in a request (api.md names), for telling a caller which fields differ. */
const requestPaths: Record<keyof DebtorDetails, readonly string[]> = {
  name: ['debtor', 'name'],
  street: ['debtor', 'address', 'street'],
  postal_code: ['debtor', 'address', 'postalCode'],
  city: ['debtor', 'address', 'city'],
  email: ['debtor', 'email'],
  phone: ['debtor', 'phone'],
  iban: ['debtor', 'iban'],
  bsn: ['debtor', 'bsn'],
};

/** The request paths of the fields in which `sent` differs from `recorded`; an absent field differs from a recorded one. */
export function debtorDifferences(recorded: DebtorDetails, sent: DebtorDetails): string[][] {
  return (Object.keys(requestPaths) as (keyof DebtorDetails)[])
    .filter((column) => comparable(column, recorded[column]) !== comparable(column, sent[column]))
    .map((column) => [...requestPaths[column]]);
}

/** 409 naming the fields only: the caller sent the values, and they are personal data. */
export const debtorDiffers = (caseId: string, paths: string[][]) =>
  new HttpError(
    409,
    'debtor_differs',
    `case ${caseId} has other debtor details on record (${paths.map((p) => p.slice(1).join('.')).join(', ')}); change them with PUT /v1/cases/${caseId}/debtor`,
    paths.map((path) => ({ path, message: 'differs from the details on record' })),
  );

export type DebtorChange = { readonly debtorVersion: number; readonly changed: boolean };

/**
 * Makes `details` the case's debtor: a new version when they differ from the current one (or
 * there is none), nothing when they are the same. The caller holds the case row's lock, so two
 * changes of one case take their turns.
 */
export async function storeDebtorVersion(trx: Transaction<Database> | Kysely<Database>, caseId: string, details: DebtorDetails, changedBy: string): Promise<DebtorChange> {
  const current = await trx.selectFrom('debtor').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  if (current && debtorDifferences(current, details).length === 0) return { debtorVersion: current.version, changed: false };
  const last = await trx
    .selectFrom('debtor_version')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  const version = Math.max(current?.version ?? 0, Number(last?.version ?? 0)) + 1;
  await trx.insertInto('debtor_version').values({ case_id: caseId, version, ...details, changed_by: changedBy }).execute();
  await trx
    .insertInto('debtor')
    .values({ case_id: caseId, ...details, version })
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ ...details, version, updated_at: new Date() }))
    .execute();
  return { debtorVersion: version, changed: true };
}
