import type { Kysely } from 'kysely';
import type { Database } from '../infra/db/database.js';
import type { RecordCaseEventsRequest } from '../shared/track/case-events.js';

export function createCaseEventActivities(db: Kysely<Database>) {
  return {
    /** Appends a track's events to the read model; an event already there is left as it is. */
    async recordCaseEvents(request: RecordCaseEventsRequest): Promise<number> {
      if (request.events.length === 0) return 0;
      const inserted = await db
        .insertInto('case_event')
        .values(
          request.events.map((e) => ({
            event_key: e.key,
            case_id: request.caseId,
            corporation_id: request.corporationId,
            kind: e.kind,
            occurred_on: e.occurredOn,
            amount: e.amount,
            since: e.since ?? null,
          })),
        )
        .onConflict((oc) => oc.column('event_key').doNothing())
        .returning('event_key')
        .execute();
      return inserted.length;
    },
  };
}
