import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import type { LogoType } from '../../shared/letters/logo.js';

/** The letterhead's logo as stored: its bytes and the type their signature showed. */
export interface CorporationLogo {
  readonly type: LogoType;
  readonly data: Buffer;
}

/** What an installation knows of a housing corporation (PUT /v1/corporations/:id, the admin CLI). */
export interface CorporationDetails {
  readonly name: string;
  /** Outside VAT-charging collection service whose VAT it cannot deduct (domain.md §2). */
  readonly vatSurcharge: boolean;
  readonly bailiffOfficeId?: string | null;
  /** For the per-unit KPIs; null: not told. */
  readonly rentedUnits?: number | null;
  /** Years a closed case's personal data is kept (AVG art. 5(1)(e)); absent: as stored, 7 for a new corporation. */
  readonly retentionYears?: number;
  /** The letterhead; absent: none (the admin CLI sets none). */
  readonly addressLines?: readonly string[];
  readonly contactLines?: readonly string[];
  /** Electronic format (no spaces), mod-97 checked at the edge. */
  readonly iban?: string | null;
  readonly bic?: string | null;
  /** 14-day letters as registered post; absent: not. */
  readonly wikLetterRegistered?: boolean;
  /** The letterhead's logo; null removes it, absent (the admin CLI) keeps what is stored. */
  readonly logo?: CorporationLogo | null;
}

/** What a letter prints of its corporation. */
export interface CorporationLayout {
  readonly name: string;
  readonly addressLines: readonly string[];
  readonly contactLines: readonly string[];
  readonly iban: string | null;
  readonly bic: string | null;
  readonly vatSurcharge: boolean;
  readonly logo: CorporationLogo | null;
}

export async function corporationLayout(db: Kysely<Database>, corporationId: string): Promise<CorporationLayout | null> {
  const row = await db
    .selectFrom('corporation')
    .select(['name', 'address_lines', 'contact_lines', 'iban', 'bic', 'vat_surcharge', 'logo', 'logo_type'])
    .where('corporation_id', '=', corporationId)
    .executeTakeFirst();
  return row
    ? {
        name: row.name,
        addressLines: row.address_lines,
        contactLines: row.contact_lines,
        iban: row.iban,
        bic: row.bic,
        vatSurcharge: row.vat_surcharge,
        logo: row.logo && row.logo_type ? { type: row.logo_type, data: row.logo } : null,
      }
    : null;
}

/** The fiscal retention period (art. 52 AWR): what a corporation keeps unless it says otherwise. */
export const defaultRetentionYears = 7;

/** Adds the corporation, or replaces its settings; an absent office or unit count is stored as null, an absent retention period left as it is. */
export async function upsertCorporation(db: Kysely<Database>, corporationId: string, settings: CorporationDetails): Promise<void> {
  const values = {
    name: settings.name,
    vat_surcharge: settings.vatSurcharge,
    bailiff_office_id: settings.bailiffOfficeId ?? null,
    rented_units: settings.rentedUnits ?? null,
    address_lines: JSON.stringify(settings.addressLines ?? []),
    contact_lines: JSON.stringify(settings.contactLines ?? []),
    iban: settings.iban ?? null,
    bic: settings.bic ?? null,
    wik_letter_registered: settings.wikLetterRegistered ?? false,
    // Absent (the admin CLI, which does not set it): an existing corporation keeps its period.
    ...(settings.retentionYears !== undefined ? { retention_years: settings.retentionYears } : {}),
    ...(settings.logo !== undefined ? { logo: settings.logo?.data ?? null, logo_type: settings.logo?.type ?? null } : {}),
  };
  await db
    .insertInto('corporation')
    .values({ corporation_id: corporationId, ...values })
    .onConflict((oc) => oc.column('corporation_id').doUpdateSet(values))
    .execute();
}

/** Whether a bailiff office is configured: a corporation and a bailiff key may name only such an office. */
export async function bailiffOfficeExists(db: Kysely<Database>, officeId: string): Promise<boolean> {
  const row = await db.selectFrom('bailiff_office').select('office_id').where('office_id', '=', officeId).executeTakeFirst();
  return row !== undefined;
}

export async function corporationExists(db: Kysely<Database>, corporationId: string): Promise<boolean> {
  const row = await db.selectFrom('corporation').select('corporation_id').where('corporation_id', '=', corporationId).executeTakeFirst();
  return row !== undefined;
}
