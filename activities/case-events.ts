import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/db/database.js';
import { amsterdamDate } from '../shared/calendar/amsterdam-clock.js';
import type { RecordCaseEventsRequest } from '../shared/track/case-events.js';

/**
 * The day a track closed, as the track itself recorded it (its own clock, so a simulated close
 * dates as the track saw it); from tracks that predate that field, the last event of the write.
 */
const closingDay = (request: RecordCaseEventsRequest): string =>
  request.closedOn ?? (request.events.reduce((last, e) => (e.occurredOn > last ? e.occurredOn : last), '') || amsterdamDate(Date.now()));

export function createCaseEventActivities(db: Kysely<Database>) {
  return {
    /** Appends a track's events to the read model (an event already there is left as it is) and notes the case's stage. */
    async recordCaseEvents(request: RecordCaseEventsRequest): Promise<number> {
      // Upserts: a retried write, or a payment booked and reversed between two writes, ends the same.
      for (const p of request.payments ?? []) {
        const row = { amount: p.amount, booked_on: p.bookedOn, reversed_on: p.reversedOn ?? null, reversal_reason: p.reversalReason ?? null };
        await db
          .insertInto('payment')
          .values({ transaction_id: p.transactionId, case_id: request.caseId, ...row })
          .onConflict((oc) => oc.columns(['case_id', 'transaction_id']).doUpdateSet(row))
          .execute();
      }
      if (request.stage) {
        const closed = request.stage === 'closed';
        await db
          .updateTable('collection_case')
          .set({
            stage: request.stage,
            closed_reason: closed ? (request.closedReason ?? null) : null,
            // The retention period runs from here; a repeated write keeps the first day, a new cycle clears it.
            closed_on: closed ? sql<string>`coalesce(closed_on, ${closingDay(request)}::date)` : null,
          })
          .where('case_id', '=', request.caseId)
          .execute();
      }
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
