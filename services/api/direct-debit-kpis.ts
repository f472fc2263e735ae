import { sql, type Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import type { IsoDate } from '../../shared/calendar/iso-date.js';
import { formatMoney, money } from '../../shared/money.js';

/** Debits that went to the bank: planned ones have not, withheld ones (over a bank limit) never will. */
const sentToTheBank = ['submitted', 'collected', 'rejected', 'returned', 'refunded'] as const;

export interface DirectDebitFigures {
  /** Whether the corporation's occupants are debited at all (a creditor collects for it). */
  readonly collects: boolean;
  /** Debits with their collection date in the period that went to the bank, each attempt one debit. */
  readonly count: number;
  readonly amount: string;
  readonly rejected: number;
  /** Returned by the occupant's bank after settlement (AM04, AC04…). */
  readonly returned: number;
  /** Refunded at the occupant's request (MD06, MD01). */
  readonly refunded: number;
  /** Returned and refunded: the storno's of KPI 14. A reject happens before settlement, so it is none. */
  readonly reversals: number;
}

/**
 * KPIs 2 and 14 of domain.md §10 from the collection service's own debits (`direct_debit`): the
 * debits of a period are those due in it, and a reversal counts in the period of the debit it
 * reverses (a refund may come 8 weeks or 13 months later), so the two figures share one population.
 */
export async function directDebitFigures(db: Kysely<Database>, corporationId: string, from: IsoDate, to: IsoDate): Promise<DirectDebitFigures> {
  const creditor = await db.selectFrom('creditor').select('creditor_id').where('corporation_id', '=', corporationId).limit(1).executeTakeFirst();
  const row = await db
    .selectFrom('direct_debit')
    .select([
      sql<string>`count(*)`.as('n'),
      sql<string | null>`sum(amount)`.as('total'),
      sql<string>`count(*) filter (where status = 'rejected')`.as('rejected'),
      sql<string>`count(*) filter (where status = 'returned')`.as('returned'),
      sql<string>`count(*) filter (where status = 'refunded')`.as('refunded'),
    ])
    .where('corporation_id', '=', corporationId)
    .where('collection_date', '>=', from)
    .where('collection_date', '<=', to)
    .where('status', 'in', [...sentToTheBank])
    .executeTakeFirstOrThrow();
  const returned = Number(row.returned);
  const refunded = Number(row.refunded);
  return {
    collects: creditor !== undefined,
    count: Number(row.n),
    amount: formatMoney(money(row.total ?? '0')),
    rejected: Number(row.rejected),
    returned,
    refunded,
    reversals: returned + refunded,
  };
}
