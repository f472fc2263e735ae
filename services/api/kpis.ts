import { sql, type Kysely } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { daysBetween, type IsoDate } from '../../shared/calendar/iso-date.js';
import { formatMoney, money } from '../../shared/money.js';
import { directDebitFigures } from './direct-debit-kpis.js';

/** A figure the read model cannot give yet, and why, rather than a made-up number. */
export interface Unavailable {
  readonly value: null;
  readonly reason: string;
}

const unavailable = (reason: string): Unavailable => ({ value: null, reason });
const ratio = (numerator: number, denominator: number | null, decimals = 4) =>
  denominator ? Number((numerator / denominator).toFixed(decimals)) : null;

/**
 * The KPIs of the reference process (domain.md §10) for one corporation over [from, to], from the
 * read model of case events. Per-unit figures need the corporation's number of rented units;
 * figures over billed revenue need the billing system's revenue, which this system does not
 * receive: those say so instead of guessing.
 */
export async function collectionKpis(db: Kysely<Database>, corporationId: string, from: IsoDate, to: IsoDate) {
  const corporation = await db.selectFrom('corporation').select(['rented_units']).where('corporation_id', '=', corporationId).executeTakeFirst();
  if (!corporation) return null;
  const units = corporation.rented_units;
  const inPeriod = (kind: string) =>
    db
      .selectFrom('case_event')
      .where('corporation_id', '=', corporationId)
      .where('kind', '=', kind)
      .where('occurred_on', '>=', from)
      .where('occurred_on', '<=', to);
  const countAndSum = async (kind: string) => {
    const row = await inPeriod(kind)
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.sum<string | null>('amount').as('total'), sql<number>`count(distinct case_id)`.as('cases')])
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), amount: formatMoney(money(row.total ?? '0')), cases: Number(row.cases) };
  };
  const averageDays = async (kind: string) => {
    const rows = await inPeriod(kind).select(['occurred_on', 'since']).where('since', 'is not', null).execute();
    if (rows.length === 0) return null;
    return Number((rows.reduce((sum, r) => sum + daysBetween(r.since!, r.occurred_on), 0) / rows.length).toFixed(1));
  };

  const [writeOffs, arrangements, kept, breached, handedOver, firstReminders, costs, reversals, payments] = await Promise.all([
    countAndSum('written_off'),
    countAndSum('arrangement_accepted'),
    countAndSum('arrangement_kept'),
    countAndSum('arrangement_breached'),
    countAndSum('handed_over'),
    countAndSum('first_reminder'),
    countAndSum('collection_costs'),
    countAndSum('payment_reversed'),
    countAndSum('payment'),
  ]);
  const yearStart = `${to.slice(0, 4)}-01-01`;
  const evictionsYtd = await db
    .selectFrom('case_event')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('corporation_id', '=', corporationId)
    .where('kind', '=', 'evicted')
    .where('occurred_on', '>=', yearStart)
    .where('occurred_on', '<=', to)
    .executeTakeFirstOrThrow();
  const debits = await directDebitFigures(db, corporationId, from, to);
  const noDebits = 'no creditor collects monthly advances by direct debit for this corporation (PUT /v1/creditors/:creditorId)';
  const noRevenue = 'billed revenue comes from the billing system and is not sent to this system yet';
  const noUnits = 'set rentedUnits on the corporation (PUT /v1/corporations/:id)';
  const perUnit = (n: number) => (units ? ratio(n, units) : unavailable(noUnits));

  return {
    corporationId,
    from,
    to,
    rentedUnits: units,
    writeOffs: { count: writeOffs.count, amount: writeOffs.amount },
    writtenOffPercentOfBilledRevenue: unavailable(noRevenue),
    directDebitsPerUnit: debits.collects ? perUnit(debits.count) : unavailable(noDebits),
    directDebits: { count: debits.count, amount: debits.amount, rejected: debits.rejected, returned: debits.returned, refunded: debits.refunded },
    arrangementsPerUnit: perUnit(arrangements.count),
    arrangements: { accepted: arrangements.count, kept: kept.count, breached: breached.count },
    arrangementsKeptPercent: kept.count + breached.count > 0 ? Number(((100 * kept.count) / (kept.count + breached.count)).toFixed(1)) : null,
    casesAtBailiff: handedOver.cases,
    firstRemindersPerUnit: perUnit(firstReminders.count),
    firstReminders: firstReminders.count,
    averageDaysToPay: await averageDays('closed_paid'),
    averageCourtCaseDays: await averageDays('court_case_ended'),
    arrearsCurrentTenantsPercentOfBilledRevenue: unavailable(noRevenue),
    arrearsAllTenantsPercentOfBilledRevenue: unavailable(noRevenue),
    collectionCostsCharged: costs.amount,
    evictionsYearToDate: Number(evictionsYtd.n),
    paymentsReceived: { count: payments.count, amount: payments.amount },
    reversals: reversals.count,
    // Of the direct debits (KPI 14): the reversals above are of payments on the tracks.
    reversalsPerDirectDebit: debits.collects ? ratio(debits.reversals, debits.count) : unavailable(noDebits),
    directDebitReversals: debits.reversals,
    periodDays: daysBetween(from, to) + 1,
  };
}
