/**
 * What the worker's capacity settings do to intake: the same baseline-then-intake run on a fresh
 * stack per variant. The product's worker (worker/main.ts) runs with the SDK's defaults; a
 * variant goes there only when it is clearly better here.
 */
import type { WorkerTuning } from '../worker/create-worker.js';
import type { BenchFigure, BenchSection } from './harness/figure.js';
import { measureIntake } from './intake.js';

export const workerVariants: readonly { readonly label: string; readonly tuning: WorkerTuning }[] = [
  { label: 'SDK defaults (one reused V8 context, 40 workflow / 100 activity slots)', tuning: {} },
  { label: 'a fresh V8 context per workflow (reuseV8Context: false)', tuning: { reuseV8Context: false } },
  { label: 'fewer slots for 2 cores (8 workflow / 16 activity), 500 cached', tuning: { maxConcurrentWorkflowTaskExecutions: 8, maxConcurrentActivityTaskExecutions: 16, maxCachedWorkflows: 500 } },
];

export const workerSettingsSection: BenchSection = async ({ quick }) => {
  if (quick) {
    return [{ section: 'worker settings', name: 'not measured in --quick (npm run bench -- worker-settings)', value: 0, unit: '' }];
  }
  const count = Number(process.env.BENCH_TRACKS ?? 200);
  const figures: BenchFigure[] = [];
  for (const [i, variant] of workerVariants.entries()) {
    const run = await measureIntake(`settings-${i}`, variant.tuning, count, false);
    const note = `baseline ${run.baseline.perSecond}/s (p95 ${run.baseline.p95} ms), intake ${run.intake.perSecond}/s (p50 ${run.intake.p50} ms, p95 ${run.intake.p95} ms), ${run.intake.cpuMsPerCall} ms CPU per track`;
    figures.push(
      { section: 'worker settings', name: `${variant.label}: tracks/s`, value: run.intake.perSecond, unit: '/s', note },
      { section: 'worker settings', name: `${variant.label}: intake ÷ baseline`, value: Number((run.intake.perSecond / run.baseline.perSecond).toFixed(2)), unit: '×', goal: { atLeast: 0.8 } },
      { section: 'worker settings', name: `${variant.label}: intake p95`, value: run.intake.p95, unit: 'ms' },
    );
  }
  return figures;
};
