import type { Kysely } from 'kysely';
import type { Database } from '../infra/db/database.js';
import type { CorporationSettings } from '../shared/track/track-input.js';

export function createCorporationActivities(db: Kysely<Database>) {
  return {
    /** Settings are read through an activity so the value a track acted on is in its history. */
    async loadCorporationSettings(corporationId: string): Promise<CorporationSettings> {
      const row = await db
        .selectFrom('corporation')
        .select(['vat_surcharge', 'bailiff_office_id'])
        .where('corporation_id', '=', corporationId)
        .executeTakeFirstOrThrow();
      // The postal-delivery offset stays 2 days until a corporation sets otherwise (domain.md §3).
      return { vatSurcharge: row.vat_surcharge, bailiffOfficeId: row.bailiff_office_id, deliveryOffsetSchedule: [{ from: '2000-01-01', days: 2 }] };
    },
  };
}
