/**
 * Intake against bare Temporal, in one run on one stack: the baseline (a trivial workflow opened
 * with update-with-start through the same client, server and worker at the same concurrency) and
 * tracks opened through POST /v1/cases with realistic payloads. Then where a request's time goes:
 * the same requests' parts timed one by one (the case's database transaction, the engine's
 * update-with-start), so the table says which part to cut.
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import { recordCase } from '../services/case-intake/record-case.js';
import { TrackOpener } from '../services/track-client/track-opener.js';
import { amsterdamDate } from '../shared/calendar/amsterdam-clock.js';
import { addDays } from '../shared/calendar/iso-date.js';
import type { Segment } from '../shared/track/stages.js';
import { benchBaselineRegister, benchBaselineStop, type benchBaseline } from '../workflows/bench-baseline/bench-baseline.js';
import type { WorkerTuning } from '../worker/create-worker.js';
import { engineMetricsBetween, scrapeEngineMetrics } from './harness/engine-metrics.js';
import type { BenchFigure, BenchOptions, BenchSection } from './harness/figure.js';
import { benchCorporation, percentile, startBenchStack, type BenchStack } from './harness/stack.js';

/** Requests in flight at once, for the baseline and intake alike (BENCH_CONCURRENCY). */
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
const sizeOf = ({ quick }: BenchOptions) => Number(process.env.BENCH_TRACKS ?? (quick ? 30 : 400));

export interface Timed {
  readonly perSecond: number;
  readonly p50: number;
  readonly p95: number;
  /** CPU of this process (API, worker, services; not the Temporal server or Postgres) per call: steadier than wall time on a shared machine. */
  readonly cpuMsPerCall: number;
  readonly latencies: readonly number[];
}

/** Runs `count` calls of `call(n)`, `concurrency` at a time: calls per second and latency percentiles. */
export async function timedRun(count: number, call: (n: number) => Promise<unknown>, parallel = concurrency): Promise<Timed> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const n = next++;
        const t0 = performance.now();
        await call(n);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMsPerCall = Math.round(((cpu.user + cpu.system) / 1000 / count) * 10) / 10;
  return { perSecond: Math.round((count / seconds) * 10) / 10, p50: percentile(latencies, 50), p95: percentile(latencies, 95), cpuMsPerCall, latencies };
}

/** A case as billing sends it: a debtor with address, e-mail, phone and IBAN, three claims. */
export function realisticCase(contractRef: string, today: string, segment: Segment = 'unknown') {
  return {
    corporationId: benchCorporation,
    contractRef,
    segment,
    debtor: {
      name: 'J. de Benchhuurder',
      address: { street: 'Benchstraat 12 bis', postalCode: '1234 AB', city: 'Benchstad' },
      email: 'huurder@example.nl',
      phone: '0612345678',
      iban: 'NL91ABNA0417164300',
    },
    // The month's terms handed over just after they fell due (the first working days of a month):
    // rent, service costs and a one-off charge. No reminder is due yet, so what is measured is
    // opening the track, not the letters that follow days later.
    claims: [
      { invoiceRef: `R-${contractRef}-1`, description: 'Huur', amount: '812.50', dueDate: addDays(today, -2) },
      { invoiceRef: `R-${contractRef}-2`, description: 'Servicekosten', amount: '64.35', dueDate: addDays(today, -2) },
      { invoiceRef: `R-${contractRef}-3`, description: 'Reparatie keukenkraan', amount: '118.00', dueDate: addDays(today, -4) },
    ],
  };
}

/** Opens `count` baseline workflows the way intake opens a track: update-with-start. */
function baselineStarts(stack: BenchStack, prefix: string) {
  return (n: number) =>
    stack.client.workflow.executeUpdateWithStart(benchBaselineRegister, {
      args: [{ items: 3 }],
      startWorkflowOperation: new WithStartWorkflowOperation<typeof benchBaseline>('benchBaseline', {
        workflowId: `${prefix}-${n}`,
        taskQueue: stack.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
}

const progress = (line: string) => process.stderr.write(`\n  [intake] ${line}`);

/** 5xx answered and retried (the API says a retry is safe: intake is idempotent); their time counts. */
export const retried = { count: 0, faults: [] as string[] };

function intakePosts(stack: BenchStack, key: string, prefix: string, today: string) {
  return async (n: number) => {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${stack.apiUrl}/v1/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(realisticCase(`${prefix}-${n}`, today)),
      });
      const body = await response.text();
      // A retry after a 503 the engine had taken meanwhile answers 200: the track is open all the same.
      if (response.status === 201 || (response.status === 200 && attempt > 1)) return;
      // A 5xx other than 503 is a fault of the product (api.md: never a 500), counted apart and reported.
      if (response.status >= 500 && attempt < 5) {
        if (response.status === 503) retried.count++;
        else retried.faults.push(`${response.status} ${body.slice(0, 160)}`);
        continue;
      }
      throw new Error(`POST /v1/cases: ${response.status} ${body}`);
    }
  };
}

/** Stops the baseline workflows so the server is not left with timers (and the next figure is not disturbed by them). */
async function stopBaselines(stack: BenchStack, prefix: string, count: number) {
  await timedRun(count, (n) => stack.client.workflow.getHandle(`${prefix}-${n}`).signal(benchBaselineStop));
}

export interface IntakeRun {
  readonly baseline: Timed;
  readonly intake: Timed;
  readonly parts?: { readonly record: Timed; readonly open: Timed; readonly http: Timed };
  /** The worker's time by workflow and activity type, per phase (SDK metrics). */
  readonly worker: { readonly baseline: ReturnType<typeof engineMetricsBetween>; readonly intake: ReturnType<typeof engineMetricsBetween> };
}

/** Baseline then intake on one fresh stack with the given worker settings. */
export async function measureIntake(name: string, tuning: WorkerTuning, count: number, withParts: boolean): Promise<IntakeRun> {
  // The per-key limit (1,200 a minute by default) would measure the limiter, not intake: lifted here.
  const stack = await startBenchStack(name, tuning, { rateLimitPerMinute: 1_000_000 });
  try {
    const key = await stack.key('billing');
    const today = amsterdamDate(Date.now());
    // Warm-up of both paths: the bundle's first workflow tasks, JIT, pools, keys' first look-up.
    await timedRun(10, baselineStarts(stack, 'warm-baseline'), 2);
    await timedRun(10, intakePosts(stack, key, 'WARM', today), 2);
    await stopBaselines(stack, 'warm-baseline', 10);

    const m0 = await scrapeEngineMetrics();
    const baseline = await timedRun(count, baselineStarts(stack, 'baseline'));
    const m1 = await scrapeEngineMetrics();
    await stopBaselines(stack, 'baseline', count);
    progress(`baseline ${baseline.perSecond}/s p50 ${baseline.p50} p95 ${baseline.p95} cpu ${baseline.cpuMsPerCall}`);
    const m2 = await scrapeEngineMetrics();
    const intake = await timedRun(count, intakePosts(stack, key, 'B', today));
    // The work a start sets off (the set-up activities, the first read-model write) finishes a moment later.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const m3 = await scrapeEngineMetrics();
    const worker = { baseline: engineMetricsBetween(m0, m1), intake: engineMetricsBetween(m2, m3) };
    progress(`intake ${intake.perSecond}/s p50 ${intake.p50} p95 ${intake.p95} cpu ${intake.cpuMsPerCall}`);
    for (const w of worker.intake.slice(0, 8)) progress(`  ${w.series}: ${w.count} × ${w.meanMs} ms`);
    if (!withParts) return { baseline, intake, worker };

    // The same work in its parts, at the same concurrency, each part on its own: the case's
    // transaction (recordCase), the engine call (TrackOpener.openOrExtend) and an HTTP round
    // trip through the same middleware that stops before both (an unknown corporation, 422).
    const partCount = Math.min(count, 100);
    const opener = new TrackOpener(stack.client, stack.taskQueue);
    const refs: { caseId: string; workflowId: string }[] = [];
    const record = await timedRun(partCount, async (n) => {
      refs[n] = await recordCase(stack.db, { ...realisticCase(`P-${n}`, today), tenantDeparted: false }, { changedBy: 'bench' });
    });
    const open = await timedRun(partCount, (n) => {
      const request = realisticCase(`P-${n}`, today);
      return opener.openOrExtend(
        { caseId: refs[n]!.caseId, corporationId: benchCorporation, workflowId: refs[n]!.workflowId },
        request.segment,
        request.claims.map(({ invoiceRef, amount, dueDate }) => ({ invoiceRef, amount, dueDate })),
        { tenantDeparted: false },
      );
    });
    const http = await timedRun(partCount, async (n) => {
      const response = await fetch(`${stack.apiUrl}/v1/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...realisticCase(`H-${n}`, today), corporationId: 'no-such-corp' }),
      });
      await response.text();
      if (![403, 404, 422].includes(response.status)) throw new Error(`expected a refusal, got ${response.status}`);
    });
    return { baseline, intake, parts: { record, open, http }, worker };
  } finally {
    await stack.stop();
  }
}

export function intakeFigures(section: string, label: string, run: IntakeRun, count: number): BenchFigure[] {
  const ratio = run.intake.perSecond / run.baseline.perSecond;
  const figures: BenchFigure[] = [
    { section, name: `${label}baseline starts (update-with-start, trivial workflow)`, value: run.baseline.perSecond, unit: '/s', note: `${count} starts, ${concurrency} at a time; ${run.baseline.cpuMsPerCall} ms CPU each in this process` },
    { section, name: `${label}baseline start latency p50`, value: run.baseline.p50, unit: 'ms' },
    { section, name: `${label}baseline start latency p95`, value: run.baseline.p95, unit: 'ms' },
    { section, name: `${label}tracks opened through POST /v1/cases`, value: run.intake.perSecond, unit: '/s', note: `${count} cases (3 claims, debtor with address, e-mail, phone, IBAN), ${concurrency} requests at a time; ${run.intake.cpuMsPerCall} ms CPU each in this process (API + worker + services)${retried.count > 0 ? `; ${retried.count} 503s retried` : ''}${retried.faults.length > 0 ? `; ${retried.faults.length} other 5xx retried (a fault: ${retried.faults[0]})` : ''}` },
    { section, name: `${label}intake ÷ baseline (tracks/s)`, value: Number(ratio.toFixed(2)), unit: '×', goal: { atLeast: 0.8 } },
    { section, name: `${label}intake start latency p50`, value: run.intake.p50, unit: 'ms' },
    { section, name: `${label}intake start latency p95`, value: run.intake.p95, unit: 'ms' },
    // Latency relative to the engine's own: at most 1.25 × (the same 0.8 as throughput, inverted).
    { section, name: `${label}intake p95 ÷ baseline p95`, value: Number((run.intake.p95 / run.baseline.p95).toFixed(2)), unit: '×', goal: { atMost: 1.25 } },
  ];
  // The worker's time per opened track, by what it spent it on (workflow tasks by type, activities).
  for (const w of run.worker.intake.filter((w) => !w.series.startsWith('workflow_activation')).slice(0, 6)) {
    figures.push({ section, name: `${label}worker: ${w.series.replace(/_latency/, '')} (mean)`, value: w.meanMs, unit: 'ms', note: `${w.count} in the intake phase, ${Math.round(w.totalMs / count)} ms per track opened` });
  }
  const baselineTask = run.worker.baseline.find((w) => w.series === 'workflow_task_execution_latency benchBaseline');
  if (baselineTask) figures.push({ section, name: `${label}worker: baseline workflow task (mean)`, value: baselineTask.meanMs, unit: 'ms', note: `${baselineTask.count} in the baseline phase` });
  if (run.parts) {
    const { record, open, http } = run.parts;
    figures.push(
      { section, name: 'part: case transaction (recordCase) p50', value: record.p50, unit: 'ms', note: `each part on its own, ${concurrency} at a time; recordCase ${record.perSecond}/s, p95 ${record.p95} ms, ${record.cpuMsPerCall} ms CPU` },
      { section, name: 'part: update-with-start of the track p50', value: open.p50, unit: 'ms', note: `TrackOpener.openOrExtend ${open.perSecond}/s, p95 ${open.p95} ms, ${open.cpuMsPerCall} ms CPU` },
      { section, name: 'part: HTTP, key, schema, scope (refused) p50', value: http.p50, unit: 'ms', note: `a POST /v1/cases refused before both (unknown corporation): ${http.perSecond}/s, p95 ${http.p95} ms, ${http.cpuMsPerCall} ms CPU` },
    );
  }
  return figures;
}

export const intakeSection: BenchSection = async (options) => {
  const count = sizeOf(options);
  return intakeFigures('intake', '', await measureIntake('intake', {}, count, true), count);
};
