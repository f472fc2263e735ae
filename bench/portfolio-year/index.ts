import { collectionPolicySchema, defaultCollectionPolicy, type CollectionPolicy } from '../../shared/policy/collection-policy.js';
import type { BenchFigure, BenchSection } from '../harness/figure.js';
import { benchWorkflowBundle } from '../harness/workflow-bundle.js';
import { syntheticPortfolio } from './portfolio.js';
import { startSimulationStack, type ClockTimings } from './simulation-stack.js';
import { describeSpend, footprint } from './where-time-goes.js';
import { runPortfolioYear, type YearResult } from './year.js';

const section = 'portfolio year';
const seed = 20_270_101;

/**
 * The sector's practice (the built-in default ladder: reminders on days 5 and 12, a call round on
 * day 15, the 14-day letter 9 days after the last reminder). Arrangements may be made before this
 * month's rent is paid, so the arrangement tenants get theirs in both runs.
 */
const sectorPolicy: CollectionPolicy = collectionPolicySchema.parse({
  ...defaultCollectionPolicy,
  arrangement: { ...defaultCollectionPolicy.arrangement, currentRentMustBePaid: false },
});

/** The what-if: an earlier, shorter ladder (reminders on days 2 and 7, a call on day 8, the 14-day letter 4 days after). */
const earlyContactPolicy: CollectionPolicy = collectionPolicySchema.parse({
  ...sectorPolicy,
  defaultSegment: {
    ...sectorPolicy.defaultSegment,
    reminders: [
      { afterDefaultDays: 2, channel: 'post' },
      { afterDefaultDays: 7, channel: 'email' },
    ],
    callRound: { afterDefaultDays: 8, expiresAfterDays: 7 },
    wikLetterAfterLastReminderDays: 4,
  },
});

/** `npm run bench -- "portfolio year"`: a seeded portfolio through a simulated year, twice (two policies). */
export const portfolioYear: BenchSection = async ({ quick }) => {
  // Quick: a handful of each story, enough to see the section work and the policies differ (at 20
  // the one bailiff tenant is not evicted and both policies charge the same costs: no what-if left).
  const size = quick ? 30 : 1000;
  const tenancies = syntheticPortfolio(size, seed);
  const log = (line: string) => process.stderr.write(`\n  [portfolio] ${line}`);
  const t0 = performance.now();
  const workflowBundle = await benchWorkflowBundle();
  const bundleMs = performance.now() - t0;

  const runs: { label: string; result: YearResult; startMs: number; timings: ClockTimings; spend: string }[] = [];
  for (const [label, policy] of [
    ['sector ladder', sectorPolicy],
    ['early contact', earlyContactPolicy],
  ] as const) {
    const s0 = performance.now();
    const stack = await startSimulationStack(`portfolio_${label.replace(/\W/g, '_')}`, workflowBundle);
    const startMs = performance.now() - s0;
    try {
      const before = await footprint();
      const result = await runPortfolioYear(stack, { corporationId: `py-${label.replace(/\W/g, '-')}`, policy, tenancies, stepDays: 7, concurrency: 8, log });
      const spend = describeSpend(before, await footprint(), result.wallMs / 1000);
      runs.push({ label, result, startMs, timings: { ...stack.timings }, spend });
      log(`${label}: ${(result.wallMs / 1000).toFixed(1)} s; KPIs ${kpiSummary(result)}; calls ${JSON.stringify(result.calls)}; refused ${JSON.stringify(result.refusals)}; unfinished ${JSON.stringify(result.unfinished)}`);
    } finally {
      await stack.stop();
    }
  }
  process.stderr.write('\n');
  return figures(size, runs, bundleMs);
};

function figures(size: number, runs: { label: string; result: YearResult; startMs: number; timings: ClockTimings; spend: string }[], bundleMs: number): BenchFigure[] {
  const [base, whatIf] = runs as [(typeof runs)[number], (typeof runs)[number]];
  const k = (run: (typeof runs)[number]) => run.result.kpis;
  const kpiLine = (run: (typeof runs)[number]) => kpiSummary(run.result);
  const where = (run: (typeof runs)[number]) =>
    `${(run.timings.skippingMs / 1000).toFixed(0)} s in time skipping (the worker acting on due timers), ${(run.timings.settlingMs / 1000).toFixed(0)} s settling (${run.timings.stops} stops, ${run.timings.described} workflow descriptions), ${(run.timings.actingMs / 1000).toFixed(0)} s in the outside world's HTTP calls at the stops; ${run.spend}`;
  const unfinished = (run: (typeof runs)[number]) => (Object.keys(run.result.unfinished).length ? `; not finished within the year: ${JSON.stringify(run.result.unfinished)}` : '');
  const refused = (run: (typeof runs)[number]) => (Object.keys(run.result.refusals).length ? `; refused calls: ${JSON.stringify(run.result.refusals)}` : '');
  const payDays = (run: (typeof runs)[number]) => (typeof k(run).averageDaysToPay === 'number' ? k(run).averageDaysToPay : 0);
  // Side by side: the same tenancies under each policy (the what-if), one row per policy.
  const pair = (name: string, unit: string, value: (run: (typeof runs)[number]) => number): BenchFigure[] => [
    { section, name: `${name}, sector ladder`, value: value(base), unit },
    { section, name: `${name}, early contact (what-if)`, value: value(whatIf), unit },
  ];
  return [
    {
      section,
      name: `${size} tenancies through 12 simulated months (wall time)`,
      value: Number((base.result.wallMs / 1000).toFixed(1)),
      unit: 's',
      goal: { atMost: 600 },
      note: `seed ${seed}, ${base.result.from}..${base.result.to}, the ${base.label} policy; ${where(base)}; stack start ${(base.startMs / 1000).toFixed(1)} s, workflow bundle ${(bundleMs / 1000).toFixed(1)} s (0 when an earlier section built the run's one; not counted). KPIs: ${kpiLine(base)}${unfinished(base)}${refused(base)}`,
    },
    {
      section,
      name: `${size} tenancies, the what-if run (wall time)`,
      value: Number((whatIf.result.wallMs / 1000).toFixed(1)),
      unit: 's',
      goal: { atMost: 600 },
      note: `same seed and tenancies under the early-contact ladder: reminders on days 2 and 7, a call on day 8, the 14-day letter 4 days later; ${where(whatIf)}. KPIs: ${kpiLine(whatIf)}${unfinished(whatIf)}${refused(whatIf)}`,
    },
    ...pair('average days to pay', 'days', payDays),
    ...pair('collection costs charged', '€', (run) => Number(k(run).collectionCostsCharged)),
    ...pair('letters sent', 'letters', (run) => run.result.letters),
    ...pair('arrangements kept', '%', (run) => k(run).arrangementsKeptPercent ?? 0),
    ...pair('evictions', 'evictions', (run) => k(run).evictionsYearToDate),
  ];
}

/** The year's KPIs (GET /v1/kpis) and counts, as one line. */
function kpiSummary(result: YearResult): string {
  const kpis = result.kpis;
  return [
    `first reminders ${kpis.firstReminders}`,
    `average days to pay ${kpis.averageDaysToPay}`,
    `payments ${kpis.paymentsReceived.count} (€ ${kpis.paymentsReceived.amount})`,
    `collection costs charged € ${kpis.collectionCostsCharged}`,
    `arrangements ${kpis.arrangements.accepted} accepted / ${kpis.arrangements.kept} kept / ${kpis.arrangements.breached} breached (${kpis.arrangementsKeptPercent} % kept)`,
    `at the bailiff ${kpis.casesAtBailiff}`,
    `evictions ${kpis.evictionsYearToDate}`,
    `direct debits ${kpis.directDebits.count} (${kpis.directDebits.returned} returned, ${kpis.directDebits.refunded} refunded; ${JSON.stringify(kpis.reversalsPerDirectDebit)} per debit)`,
    `write-offs ${kpis.writeOffs.count}`,
    `tracks ${result.tracks}, letters ${result.letters}`,
  ].join('; ');
}
