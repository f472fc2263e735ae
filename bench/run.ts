import { DefaultLogger, Runtime } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { freePort } from '../infra/free-port.js';
import { goalRatio, type BenchFigure } from './harness/figure.js';
import { runWideSetUp, stopRunWide } from './harness/run-wide.js';
import { benchSections } from './sections.js';

/**
 * `npm run bench [-- --quick] [--json <file>] [section ...]`: every section in turn (or the named
 * ones), one table of figures with their goals, and the same as JSON for comparing commits.
 * A section that fails is reported and the rest still run: the table says what is missing.
 */
// The table is the output: the API's request log and the worker's state changes would bury it.
process.env.LOG_LEVEL ??= 'error';
// The SDK's own metrics (task and activity times per type) are what the intake section reads to
// say where the worker's time goes (harness/engine-metrics.ts).
const metricsPort = await freePort();
process.env.BENCH_METRICS_URL = `http://127.0.0.1:${metricsPort}/metrics`;
Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} }, metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } },
});

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
if (jsonAt >= 0 && !jsonFile) throw new Error('--json needs a file name');
const names = args.filter((a, i) => !a.startsWith('--') && !(jsonAt >= 0 && i === jsonAt + 1));
const unknown = names.filter((n) => !benchSections.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`unknown section(s): ${unknown.join(', ')}; known: ${benchSections.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const chosen = names.length > 0 ? benchSections.filter((s) => names.includes(s.name)) : benchSections;

const figures: BenchFigure[] = [];
const failures: { section: string; error: string }[] = [];
const sectionSeconds: Record<string, number> = {};
/** CPU of this process per section: what a section cost when the wall clock also counts others' work. */
const sectionCpuSeconds: Record<string, number> = {};
const started = performance.now();
const cpuAtStart = process.cpuUsage();
for (const section of chosen) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const took = () => {
    const cpu = process.cpuUsage(cpu0);
    sectionSeconds[section.name] = (performance.now() - t0) / 1000;
    sectionCpuSeconds[section.name] = (cpu.user + cpu.system) / 1e6;
  };
  process.stderr.write(`[bench] ${section.name}…`);
  try {
    const measured = await section.run({ quick });
    figures.push(...measured);
    took();
    process.stderr.write(`\n[bench] ${section.name}: ${sectionSeconds[section.name]!.toFixed(1)} s (CPU ${sectionCpuSeconds[section.name]!.toFixed(1)} s)\n`);
  } catch (error) {
    took();
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    failures.push({ section: section.name, error: message.split('\n').slice(0, 3).join(' | ') });
    process.stderr.write(`\n[bench] ${section.name}: FAILED after ${sectionSeconds[section.name]!.toFixed(1)} s\n${message}\n`);
  }
}
await stopRunWide();
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuAtStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const round1 = (n: number) => Math.round(n * 10) / 10;
const sectionSum = Object.values(sectionSeconds).reduce((sum, s) => sum + s, 0);
const setUp = runWideSetUp();
// --quick's promise is about the whole run; a run of a few sections has no goal of its own.
const wholeQuickRun = quick && names.length === 0;
// The run's own figure: the whole run against --quick's two minutes, with what it is made of.
figures.push({
  section: 'run',
  name: `${quick ? 'quick' : 'full'} run of ${chosen.length} section(s) (wall time)`,
  value: round1(seconds),
  unit: 's',
  ...(wholeQuickRun ? { goal: { atMost: 120 } } : {}),
  note: `by section: ${Object.entries(sectionSeconds)
    .map(([name, s]) => `${name} ${s.toFixed(1)} s (CPU ${sectionCpuSeconds[name]!.toFixed(1)} s)`)
    .join(', ')} (together ${sectionSum.toFixed(1)} s); started once for the run and counted in the first section that used it: ${
    setUp.length > 0 ? setUp.map(({ label, ms }) => `${label} ${(ms / 1000).toFixed(1)} s`).join(', ') : 'nothing'
  }; CPU of this process ${cpuSeconds.toFixed(1)} s (API, workers, services, bundler; not the Temporal servers or Postgres); load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} cores`,
});

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
})();
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`;

console.log(formatTable(figures));
const notes = figures.filter((f) => f.note);
if (notes.length > 0) {
  console.log('\nnotes:');
  for (const f of notes) console.log(`  ${f.section} / ${f.name}: ${f.note}`);
}
for (const f of failures) console.log(`\n${f.section}: FAILED — ${f.error}`);
console.log(`\n${quick ? 'quick run' : 'full run'} of ${chosen.length} section(s) in ${seconds.toFixed(1)} s${wholeQuickRun ? ' (goal < 120 s)' : ''}, sections together ${sectionSum.toFixed(1)} s, CPU of this process ${cpuSeconds.toFixed(1)} s, at ${commit.slice(0, 12)} on ${machine}`);

if (jsonFile) {
  await writeFile(jsonFile, `${JSON.stringify({ commit, date: new Date().toISOString(), quick, machine, seconds: round1(seconds), sectionSeconds: Object.fromEntries(Object.entries(sectionSeconds).map(([name, s]) => [name, round1(s)])), sectionCpuSeconds: Object.fromEntries(Object.entries(sectionCpuSeconds).map(([name, s]) => [name, round1(s)])), cpuSeconds: round1(cpuSeconds), figures, failures }, null, 2)}\n`, 'utf8');
  console.log(`figures written to ${jsonFile}`);
}
if (failures.length > 0) process.exitCode = 1;

function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function formatTable(rows: readonly BenchFigure[]): string {
  const cells = rows.map((f) => {
    const ratio = goalRatio(f);
    const goal = !f.goal ? '' : 'atLeast' in f.goal ? `≥ ${formatValue(f.goal.atLeast)} ${f.unit}` : `≤ ${formatValue(f.goal.atMost)} ${f.unit}`;
    return [f.section, f.name, `${formatValue(f.value)} ${f.unit}`, goal, ratio === null ? '' : `${ratio.toFixed(2)} ${ratio >= 1 ? '✓' : '✗'}`];
  });
  const header = ['section', 'figure', 'value', 'goal', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((v, i) => (i === 2 || i === 4 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' │ ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...cells.map(line)].join('\n');
}
// The Temporal runtime and a section's leftovers (a pool, a timer) would keep the process alive.
process.exit();
