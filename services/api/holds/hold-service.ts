import type { Client } from '@temporalio/client';
import type { Expression, Kysely, SqlBool } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../../infra/db/database.js';
import type { HoldSignal } from '../../../shared/track/hold-messages.js';
import { HttpError, notFound } from '../../http/errors.js';
import { requireConfiguredCorporation } from '../configured-corporation.js';
import type { CreateHoldRequest, HoldListQuery } from './hold-requests.js';
import { presentHold, releaseSignalled, startSignalled, type HoldRow, type HoldView } from './hold-view.js';
import { holdBatchJobId, HoldNotDeliverable, HoldSignaller, type HoldDelivery } from './signal-delivery.js';

const notSignalled = (holdId: string, what: string, error: unknown) =>
  new HttpError(
    503,
    'signal_not_sent',
    `hold ${holdId} is stored but its ${what} signal could not be sent (${error instanceof Error ? error.message : String(error)}); repeat the call to send it`,
    [{ holdId }],
  );

/**
 * The holds over the database: a hold is stored first, then its signal goes out (signal-delivery.ts);
 * a repeated call sends what did not go out and otherwise answers the stored hold.
 */
export class HoldService {
  private readonly signaller: HoldSignaller;

  constructor(
    private readonly db: Kysely<Database>,
    client: Client,
    private readonly today: () => Promise<string>,
    /** Bounds the signaller's calls to Temporal (the API's engine deadline), so an absent server is a prompt 503. */
    bound: (signaller: HoldSignaller) => HoldSignaller = (signaller) => signaller,
  ) {
    this.signaller = bound(new HoldSignaller(db, client, today));
  }

  private find(holdId: string): Promise<HoldRow | undefined> {
    return this.db.selectFrom('hold').selectAll().where('hold_id', '=', holdId).executeTakeFirst();
  }

  private async findOrThrow(holdId: string): Promise<HoldRow> {
    const row = await this.find(holdId);
    if (!row) throw notFound(`no hold ${holdId}`);
    return row;
  }

  /**
   * Stores the hold, then signals its start. The row comes first, so a track that opens meanwhile
   * finds it (activeHolds); a track that gets the hold both ways takes it once (the hold id). A
   * repeat with the same holdId answers the stored hold, sending a start that did not go out.
   */
  async create(request: CreateHoldRequest, actor: string): Promise<{ created: boolean; hold: HoldView }> {
    await requireConfiguredCorporation(this.db, request.corporationId);

    const holdId = request.holdId ?? `hold-${randomUUID()}`;
    const inserted = await this.db
      .insertInto('hold')
      .values({
        hold_id: holdId,
        corporation_id: request.corporationId,
        segment: request.segment ?? null,
        visibility_query: request.query ?? null,
        reason: request.reason ?? null,
        from_date: await this.today(),
        created_by: actor,
      })
      .onConflict((oc) => oc.column('hold_id').doNothing())
      .returning('hold_id')
      .executeTakeFirst();
    let row = await this.findOrThrow(holdId);
    if (!inserted) {
      const same = row.corporation_id === request.corporationId && row.segment === (request.segment ?? null) && row.visibility_query === (request.query ?? null);
      if (!same) throw new HttpError(409, 'conflict', `hold ${holdId} exists for other tracks (corporation ${row.corporation_id}, segment ${row.segment ?? 'any'}, query ${row.visibility_query ?? 'none'})`);
    }

    if (!startSignalled(row) && !row.released_on) {
      const signal: HoldSignal = { action: 'start', holdId, from: row.from_date };
      let delivery: HoldDelivery;
      try {
        delivery = await this.signaller.deliver(signal, { corporationId: row.corporation_id, segment: row.segment, query: row.visibility_query }, holdBatchJobId(row, 'start'), `hold ${holdId}: start, by ${actor}`);
      } catch (error) {
        if (error instanceof HoldNotDeliverable) {
          // Nothing was signalled: the hold is not kept, the call changes nothing.
          await this.db.deleteFrom('hold').where('hold_id', '=', holdId).where('start_batch_job_id', 'is', null).where('start_matched', 'is', null).execute();
          throw error;
        }
        throw notSignalled(holdId, 'start', error);
      }
      row = await this.db
        .updateTable('hold')
        .set(delivery.via === 'batch' ? { start_batch_job_id: delivery.jobId } : { start_matched: delivery.matched })
        .where('hold_id', '=', holdId)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    return { created: !!inserted, hold: presentHold(row) };
  }

  /**
   * Releases the hold: marks it released (so tracks opening from now on do not join it), then
   * signals the release to every running track of the corporation. Not only to the tracks the hold
   * matched: a track may have changed segment or stage since, and a track that never held this
   * hold ignores its release. A repeat answers the released hold, sending a release that did not
   * go out.
   */
  async release(holdId: string, actor: string): Promise<HoldView> {
    let row = await this.findOrThrow(holdId);
    if (!row.released_on) {
      await this.db.updateTable('hold').set({ released_on: await this.today(), released_by: actor }).where('hold_id', '=', holdId).where('released_on', 'is', null).execute();
      row = await this.findOrThrow(holdId);
    }
    if (!releaseSignalled(row)) {
      const signal: HoldSignal = { action: 'release', holdId, on: row.released_on! };
      let delivery: HoldDelivery;
      try {
        delivery = await this.signaller.deliver(signal, { corporationId: row.corporation_id, segment: null, query: null }, holdBatchJobId(row, 'release'), `hold ${holdId}: release, by ${actor}`);
      } catch (error) {
        throw notSignalled(holdId, 'release', error);
      }
      row = await this.db
        .updateTable('hold')
        .set(delivery.via === 'batch' ? { release_batch_job_id: delivery.jobId } : { release_matched: delivery.matched })
        .where('hold_id', '=', holdId)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    return presentHold(row);
  }

  /** Active holds first, then the newest; of the corporations `held` lets through (the caller's). */
  async list(filter: HoldListQuery, held: Expression<SqlBool>): Promise<HoldView[]> {
    const rows = await this.db
      .selectFrom('hold')
      .selectAll()
      .where(held)
      .$if(filter.corporationId !== undefined, (qb) => qb.where('corporation_id', '=', filter.corporationId!))
      .$if(filter.status === 'active', (qb) => qb.where('released_on', 'is', null))
      .$if(filter.status === 'released', (qb) => qb.where('released_on', 'is not', null))
      .orderBy((eb) => eb('released_on', 'is', null), 'desc')
      .orderBy('created_at', 'desc')
      .orderBy('hold_id')
      .limit(filter.limit)
      .execute();
    return rows.map(presentHold);
  }

  /** One hold, with the state of its batch jobs where the server can describe them. */
  async get(holdId: string) {
    const row = await this.findOrThrow(holdId);
    const [start, release] = await Promise.all([this.signaller.describeBatch(row.start_batch_job_id), this.signaller.describeBatch(row.release_batch_job_id)]);
    return { ...presentHold(row), batches: { start, release } };
  }
}
