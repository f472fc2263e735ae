/**
 * Where the worker's time goes, from the SDK's own metrics (the Prometheus endpoint `npm run
 * bench` installs on its runtime): workflow task and activity execution times per type, and how
 * long tasks wait for a slot. Two snapshots, the difference between them: what one phase cost.
 */

/** sum and count of each histogram series, by metric and its type label. */
export type MetricSnapshot = ReadonlyMap<string, { sum: number; count: number }>;

const watched = [
  'workflow_task_execution_latency',
  'workflow_activation_execution_latency',
  'workflow_task_schedule_to_start_latency',
  'activity_execution_latency',
  'activity_schedule_to_start_latency',
];

export async function scrapeEngineMetrics(): Promise<MetricSnapshot | null> {
  const url = process.env.BENCH_METRICS_URL;
  if (!url) return null;
  const text = await (await fetch(url)).text();
  const series = new Map<string, { sum: number; count: number }>();
  for (const line of text.split('\n')) {
    const match = /^temporal_(\w+?)_(sum|count)\{([^}]*)\}\s+([\d.eE+-]+)/.exec(line);
    if (!match || !watched.includes(match[1]!)) continue;
    const labels = Object.fromEntries([...match[3]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const type = labels.activity_type ?? labels.workflow_type ?? (match[1]!.startsWith('activity') ? 'activities' : 'workflows');
    const key = `${match[1]} ${type}`;
    const entry = series.get(key) ?? { sum: 0, count: 0 };
    entry[match[2] as 'sum' | 'count'] += Number(match[4]);
    series.set(key, entry);
  }
  return series;
}

/** Per series: calls and mean ms in the interval between two snapshots, the busiest first. */
export function engineMetricsBetween(before: MetricSnapshot | null, after: MetricSnapshot | null): { series: string; count: number; meanMs: number; totalMs: number }[] {
  if (!before || !after) return [];
  return [...after.entries()]
    .map(([series, { sum, count }]) => {
      const previous = before.get(series) ?? { sum: 0, count: 0 };
      const calls = count - previous.count;
      const total = sum - previous.sum;
      return { series, count: calls, meanMs: calls > 0 ? Math.round((total / calls) * 10) / 10 : 0, totalMs: Math.round(total) };
    })
    .filter((s) => s.count > 0)
    .sort((a, b) => b.totalMs - a.totalMs);
}
