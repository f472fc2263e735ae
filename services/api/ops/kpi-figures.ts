import { addDays } from '../../../shared/calendar/iso-date.js';

/** A quarter: its label and its first and last day. */
export interface Quarter {
  readonly label: string;
  readonly from: string;
  readonly to: string;
}

/** The quarter holding `today` and the seven before it, oldest first. */
export function lastEightQuarters(today: string): Quarter[] {
  let year = Number(today.slice(0, 4));
  let q = Math.floor((Number(today.slice(5, 7)) - 1) / 3);
  const quarters: Quarter[] = [];
  for (let i = 0; i < 8; i++) {
    const from = `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
    const nextFrom = q === 3 ? `${year + 1}-01-01` : `${year}-${String(q * 3 + 4).padStart(2, '0')}-01`;
    quarters.unshift({ label: `${year} Q${q + 1}`, from, to: addDays(nextFrom, -1) });
    q -= 1;
    if (q < 0) {
      q = 3;
      year -= 1;
    }
  }
  return quarters;
}

/** One figure of one quarter as the table and the CSV show it. */
export interface FigureValue {
  readonly value: number | null;
  readonly numerator: string | number | null;
  readonly denominator: string | number | null;
  /** Why there is no value: the data that are missing. */
  readonly missing: string | null;
}

export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly definition: string;
  /** Charted (a number per quarter), or a figure only the table can show. */
  readonly chart: boolean;
  readonly of: (kpis: any) => FigureValue;
}

const none = (reason: string): FigureValue => ({ value: null, numerator: null, denominator: null, missing: reason });
const isUnavailable = (v: unknown): v is { value: null; reason: string } => typeof v === 'object' && v !== null && (v as { value?: unknown }).value === null;
const perUnit = (count: number, kpis: any, field: string): FigureValue =>
  isUnavailable(kpis[field]) ? { ...none(kpis[field].reason), numerator: count } : { value: kpis[field], numerator: count, denominator: kpis.rentedUnits, missing: null };

/**
 * The reference process's figures (domain.md §10), in its order, from GET /v1/kpis: the page
 * computes nothing the API does not give; it only lays numerator and denominator side by side.
 */
export const figures: readonly Figure[] = [
  { id: 'writtenOffPercent', title: 'Written-off rent, % of 12-month billed revenue', definition: 'amount written off in the quarter ÷ rent billed over the last 12 months × 100', chart: false,
    of: (k) => ({ ...none(k.writtenOffPercentOfBilledRevenue?.reason ?? 'billed revenue missing'), numerator: k.writeOffs.amount }) },
  { id: 'writeOffs', title: 'Write-offs', definition: 'cases closed as written off in the quarter (count; amount in the numerator)', chart: true,
    of: (k) => ({ value: k.writeOffs.count, numerator: k.writeOffs.amount, denominator: null, missing: null }) },
  { id: 'directDebitsPerUnit', title: 'Direct debits per rented unit', definition: 'SEPA direct debits of advances in the quarter ÷ rented units', chart: false,
    of: (k) => none(k.directDebitsPerUnit?.reason ?? 'direct debits missing') },
  { id: 'arrangementsPerUnit', title: 'Payment arrangements per rented unit', definition: 'arrangements accepted in the quarter ÷ rented units', chart: true,
    of: (k) => perUnit(k.arrangements.accepted, k, 'arrangementsPerUnit') },
  { id: 'arrangementsKept', title: '% arrangements kept', definition: 'arrangements kept ÷ (kept + breached) in the quarter × 100', chart: true,
    of: (k) => ({ value: k.arrangementsKeptPercent, numerator: k.arrangements.kept, denominator: k.arrangements.kept + k.arrangements.breached, missing: k.arrangementsKeptPercent === null ? 'no arrangement ended in the quarter' : null }) },
  { id: 'casesAtBailiff', title: 'Cases handed to the bailiff', definition: 'contracts handed over to the bailiff in the quarter (one per contract)', chart: true,
    of: (k) => ({ value: k.casesAtBailiff, numerator: k.casesAtBailiff, denominator: null, missing: null }) },
  { id: 'firstRemindersPerUnit', title: 'First reminders per rented unit (pre-amicable → amicable)', definition: 'first reminders sent in the quarter ÷ rented units', chart: true,
    of: (k) => perUnit(k.firstReminders, k, 'firstRemindersPerUnit') },
  { id: 'averageDaysToPay', title: 'Average days to pay', definition: 'days from the first day of default to the paid closure, averaged over cases paid in the quarter', chart: true,
    of: (k) => ({ value: k.averageDaysToPay, numerator: null, denominator: null, missing: k.averageDaysToPay === null ? 'no case closed paid in the quarter' : null }) },
  { id: 'averageCourtCaseDays', title: 'Average duration of bailiff court cases (days)', definition: 'days from the summons to the end of the court case, averaged over cases ended in the quarter', chart: true,
    of: (k) => ({ value: k.averageCourtCaseDays ?? null, numerator: null, denominator: null, missing: k.averageCourtCaseDays == null ? 'no court case ended in the quarter' : null }) },
  { id: 'hap2', title: 'Arrears of current tenants (HAP2), % of 12-month billed revenue', definition: 'arrears of tenants still renting at quarter end ÷ rent billed over the last 12 months × 100', chart: false,
    of: (k) => none(k.arrearsCurrentTenantsPercentOfBilledRevenue?.reason ?? 'billed revenue missing') },
  { id: 'hap1', title: 'Arrears of all tenants (HAP1), % of 12-month billed revenue', definition: 'arrears of current and former tenants at quarter end ÷ rent billed over the last 12 months × 100', chart: false,
    of: (k) => none(k.arrearsAllTenantsPercentOfBilledRevenue?.reason ?? 'billed revenue missing') },
  { id: 'collectionCosts', title: 'Collection costs charged to tenants (€)', definition: 'collection costs (with VAT where charged) charged in the quarter', chart: true,
    of: (k) => ({ value: Number(k.collectionCostsCharged), numerator: k.collectionCostsCharged, denominator: null, missing: null }) },
  { id: 'evictionsYtd', title: 'Evictions, year to date', definition: 'evictions from 1 January of the quarter’s year to its last day', chart: true,
    of: (k) => ({ value: k.evictionsYearToDate, numerator: k.evictionsYearToDate, denominator: null, missing: null }) },
  { id: 'reversalsPerDirectDebit', title: 'Direct-debit reversals per direct debit', definition: 'reversals (R-transactions) in the quarter ÷ direct debits in the quarter', chart: false,
    of: (k) => ({ ...none(k.reversalsPerDirectDebit?.reason ?? 'direct debits missing'), numerator: k.reversals }) },
];
