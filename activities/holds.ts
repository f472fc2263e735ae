import type { Kysely } from 'kysely';
import type { Database } from '../infra/db/database.js';
import type { HoldSignal } from '../shared/track/hold-messages.js';

export function createHoldActivities(db: Kysely<Database>) {
  return {
    /**
     * The holds a track that opens now must join: the start signals of the corporation's
     * unreleased holds that cover the whole corporation or the track's segment, oldest first.
     * Holds narrowed by a visibility query are left out: such a filter (a stage, an amount, a
     * deadline) describes the tracks running when the hold began, not a track that opens later.
     * Read-only, so a retry answers the same (or a hold released meanwhile less).
     */
    async activeHolds(corporationId: string, segment: string): Promise<HoldSignal[]> {
      const rows = await db
        .selectFrom('hold')
        .select(['hold_id', 'from_date'])
        .where('corporation_id', '=', corporationId)
        .where('released_on', 'is', null)
        .where('visibility_query', 'is', null)
        .where((eb) => eb.or([eb('segment', 'is', null), eb('segment', '=', segment)]))
        .orderBy('from_date')
        .orderBy('hold_id')
        .execute();
      return rows.map((row) => ({ action: 'start', holdId: row.hold_id, from: row.from_date }));
    },
  };
}
