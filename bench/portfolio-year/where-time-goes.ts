import { readdirSync, readFileSync } from 'node:fs';
import { httpRequestDuration } from '../../infra/observability/metrics.js';

/**
 * Where a run's wall time went, from what the processes themselves count: CPU seconds of this
 * process (API, worker, letter/bank/municipality services, the bench's own calls) and of the
 * time-skipping server it spawned, and the seconds each service spent answering per route (the
 * HTTP histogram every service keeps; concurrent requests overlap, so these add up past the wall).
 */
export interface Footprint {
  readonly nodeCpuS: number;
  readonly serverCpuS: number;
  /** `service route` → seconds answering, requests. */
  readonly routes: ReadonlyMap<string, { seconds: number; count: number }>;
}

export async function footprint(): Promise<Footprint> {
  const usage = process.cpuUsage();
  const routes = new Map<string, { seconds: number; count: number }>();
  for (const value of (await httpRequestDuration.get()).values) {
    const name = (value as { metricName?: string }).metricName ?? '';
    if (!name.endsWith('_sum') && !name.endsWith('_count')) continue;
    const key = `${value.labels.service} ${value.labels.method} ${value.labels.route}`;
    const entry = routes.get(key) ?? { seconds: 0, count: 0 };
    if (name.endsWith('_sum')) entry.seconds += value.value;
    else entry.count += value.value;
    routes.set(key, entry);
  }
  return { nodeCpuS: (usage.user + usage.system) / 1e6, serverCpuS: childCpuSeconds('temporal-test'), routes };
}

/** What happened between two footprints, as one line for a figure's note. */
export function describeSpend(before: Footprint, after: Footprint, wallS: number): string {
  const spent = [...after.routes]
    .map(([key, now]) => {
      const then = before.routes.get(key) ?? { seconds: 0, count: 0 };
      return { key, seconds: now.seconds - then.seconds, count: now.count - then.count };
    })
    .filter((r) => r.count > 0)
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 6)
    .map((r) => `${r.key} ${r.seconds.toFixed(0)} s over ${r.count} (${((1000 * r.seconds) / r.count).toFixed(0)} ms each)`);
  const nodeCpu = after.nodeCpuS - before.nodeCpuS;
  const serverCpu = after.serverCpuS - before.serverCpuS;
  return `CPU over ${wallS.toFixed(0)} s wall: ${nodeCpu.toFixed(0)} s in this process (API, worker, services), ${serverCpu.toFixed(0)} s in the time-skipping server; the load average of the machine was ${loadAverage()}; busiest routes: ${spent.join(', ')}`;
}

/** CPU seconds of this process's children whose command starts with `name` (Linux /proc; 0 elsewhere). */
function childCpuSeconds(name: string): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      // pid (comm) state ppid ... utime(14) stime(15): comm may hold spaces, so split after its ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid || !comm.startsWith(name.slice(0, 15))) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return 0;
  }
  return ticks / 100;
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}
