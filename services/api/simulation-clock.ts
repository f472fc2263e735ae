import { WorkflowNotFoundError, type Client, type Connection } from '@temporalio/client';
import { msToTs, tsToMs } from '@temporalio/common/lib/time.js';
import { amsterdamDate, amsterdamInstant, amsterdamOffsetMs } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';

/**
 * The same Amsterdam wall-clock time on the next Amsterdam date: a day is not always 24 hours, and
 * a fixed 24 h step taken late in the evening across the spring's clock change lands a date too far.
 */
export function sameTimeNextDay(epochMs: number): number {
  const local = new Date(epochMs + amsterdamOffsetMs(epochMs));
  const withinMinute = local.getUTCSeconds() * 1000 + local.getUTCMilliseconds();
  return amsterdamInstant(addDays(amsterdamDate(epochMs), 1), local.getUTCHours(), local.getUTCMinutes()) + withinMinute;
}

/**
 * The time-skipping server's clock, for `SIMULATION=1`. The server holds time still until told
 * to move; `advance` moves it with `unlockTimeSkippingWithSleep`, under which the server jumps from
 * timer to timer but waits at each one while workflow and activity tasks are outstanding, so every
 * track acts on the way. Afterwards we wait until no track has work pending, so the caller sees
 * the state that is due by the new time.
 */
export class SimulationClock {
  constructor(
    private readonly connection: Connection,
    private readonly client: Client,
    private readonly listOpenWorkflowIds: () => Promise<string[]>,
  ) {}

  private get testService() {
    const service = this.connection.testService;
    if (!service) throw new Error('the Temporal server does not offer time skipping');
    return service;
  }

  async now(): Promise<{ now: string; today: string }> {
    const { time } = await this.testService.getCurrentTime({});
    const ms = time ? tsToMs(time) : Date.now();
    return { now: new Date(ms).toISOString(), today: amsterdamDate(ms) };
  }

  async advance(days: number): Promise<{ now: string; today: string }> {
    // Step a day at a time: every step ends in a quiet point, so work a timer starts (a letter,
    // a new timer) is done before the clock moves past the next one.
    for (let day = 0; day < days; day++) {
      const now = tsToMs((await this.testService.getCurrentTime({})).time!);
      await this.testService.unlockTimeSkippingWithSleep({ duration: msToTs(sameTimeNextDay(now) - now) });
      await this.settle();
    }
    return this.now();
  }

  /** Waits until no open track has a workflow task or activity outstanding. */
  async settle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietRounds = 0;
    while (Date.now() < deadline) {
      const busy = await this.anyBusy();
      quietRounds = busy ? 0 : quietRounds + 1;
      // Three quiet looks in a row: a task completing can schedule the next one in between.
      if (quietRounds >= 3) return;
      await new Promise((resolve) => setTimeout(resolve, busy ? 50 : 40));
    }
    throw new Error('simulation did not settle: a track keeps working');
  }

  /** A track, or a child it runs (bailiff phase, arrangement monitor), has work outstanding. */
  private async anyBusy(): Promise<boolean> {
    // Looked at a few at a time: one by one, a portfolio of a thousand open tracks spends seconds
    // per look on round trips alone (bench/portfolio-year), and a settle takes three looks.
    let wave = [...new Set(await this.listOpenWorkflowIds())];
    const seen = new Set(wave);
    while (wave.length > 0) {
      const children: string[] = [];
      for (let i = 0; i < wave.length; i += describesAtOnce) {
        const looks = await Promise.all(wave.slice(i, i + describesAtOnce).map((workflowId) => this.look(workflowId)));
        for (const look of looks) {
          if (look === 'busy') return true;
          for (const child of look) if (!seen.has(child)) children.push(child), seen.add(child);
        }
      }
      wave = children;
    }
    return false;
  }

  /** 'busy', or the children a quiet workflow runs (each to be looked at in turn). */
  private async look(workflowId: string): Promise<'busy' | string[]> {
    const description = await this.client.workflow
      .getHandle(workflowId)
      .describe()
      .catch((error: unknown) => (error instanceof WorkflowNotFoundError ? undefined : ('unknown' as const)));
    // A look that failed (a busy server) proves nothing: count it as busy, not as quiet.
    if (description === 'unknown') return 'busy';
    if (!description || description.status.name !== 'RUNNING') return [];
    const raw = description.raw;
    if ((raw.pendingActivities?.length ?? 0) > 0 || raw.pendingWorkflowTask) return 'busy';
    return (raw.pendingChildren ?? []).flatMap((child) => (child.workflowId ? [child.workflowId] : []));
  }
}

const describesAtOnce = 16;
