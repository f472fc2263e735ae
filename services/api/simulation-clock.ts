import { WorkflowNotFoundError, type Client, type Connection } from '@temporalio/client';
import { msToTs, tsToMs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
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
    let quietState: string | undefined;
    while (Date.now() < deadline) {
      const look = await this.anyBusy();
      const busy = look === 'busy';
      // Three quiet looks in a row that saw the same histories: a task completing can schedule the
      // next one in between, and the server hands a signal or a child's end to the other workflow a
      // moment after the command (on a busy machine, longer than a look): what ran between two
      // looks shows as a history that grew.
      quietRounds = busy ? 0 : look === quietState ? quietRounds + 1 : 1;
      quietState = busy ? undefined : look;
      if (quietRounds >= 3) return;
      await new Promise((resolve) => setTimeout(resolve, busy ? 50 : 40));
    }
    throw new Error('simulation did not settle: a track keeps working');
  }

  /**
   * 'busy' when a track, or a child it runs (bailiff phase, arrangement monitor), has work
   * outstanding; else what was seen (each run and the length of its history).
   */
  private async anyBusy(): Promise<'busy' | string> {
    // Looked at a few at a time: one by one, a portfolio of a thousand open tracks spends seconds
    // per look on round trips alone (bench/portfolio-year), and a settle takes three looks.
    let wave = [...new Set(await this.listOpenWorkflowIds())].map((workflowId) => ({ workflowId, pendingChild: false }));
    const seen = new Set(wave.map((w) => w.workflowId));
    const histories: string[] = [];
    const runs = new Set<string>();
    while (wave.length > 0) {
      const children: typeof wave = [];
      for (let i = 0; i < wave.length; i += describesAtOnce) {
        const looks = await Promise.all(wave.slice(i, i + describesAtOnce).map(({ workflowId, pendingChild }) => this.look(workflowId, pendingChild)));
        for (const look of looks) {
          if (look === 'busy') return 'busy';
          if (look.run) {
            histories.push(`${look.run}:${look.historyLength}`);
            runs.add(look.run);
          }
          for (const child of look.children) if (!seen.has(child)) children.push({ workflowId: child, pendingChild: true }), seen.add(child);
        }
      }
      wave = children;
    }
    // A run no whole look reached has closed or continued as new: what was read of it goes.
    for (const run of this.owedAt.keys()) if (!runs.has(run)) this.owedAt.delete(run);
    return histories.sort().join(' ');
  }

  /**
   * 'busy', or the children a quiet workflow runs (each to be looked at in turn) and its history's
   * length. `pendingChild`: its parent still counts it as running.
   */
  private async look(workflowId: string, pendingChild: boolean): Promise<'busy' | { run?: string; historyLength?: number; children: string[] }> {
    const description = await this.client.workflow
      .getHandle(workflowId)
      .describe()
      .catch((error: unknown) => (error instanceof WorkflowNotFoundError ? undefined : ('unknown' as const)));
    // A look that failed (a busy server) proves nothing: count it as busy, not as quiet.
    if (description === 'unknown') return 'busy';
    // A child its parent counts as running that has not started yet, or has ended and its parent
    // not heard of it yet: the server is between the two (and the parent's next task is coming).
    if (!description || description.status.name !== 'RUNNING') return pendingChild ? 'busy' : { children: [] };
    const raw = description.raw;
    if ((raw.pendingActivities?.length ?? 0) > 0 || raw.pendingWorkflowTask) return 'busy';
    // The time-skipping server never reports a pending workflow task: a task the worker is still
    // working on (slow under load) leaves the history unchanged, and looked quiet. Its history says.
    if (await this.serverOwesWork(workflowId, description.runId, description.historyLength).catch(() => true)) return 'busy';
    return {
      run: `${workflowId}@${description.runId}`,
      historyLength: description.historyLength,
      children: (raw.pendingChildren ?? []).flatMap((child) => (child.workflowId ? [child.workflowId] : [])),
    };
  }

  /** Per run: the history length last read, and whether the server owed the run work then. */
  private readonly owedAt = new Map<string, { historyLength: number; owed: boolean }>();

  /** Read again only when the history grew: a quiet run costs no read per look. */
  private async serverOwesWork(workflowId: string, runId: string, historyLength: number): Promise<boolean> {
    const run = `${workflowId}@${runId}`;
    const known = this.owedAt.get(run);
    if (known?.historyLength === historyLength) return known.owed;
    const events: proto.temporal.api.history.v1.IHistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await this.connection.workflowService.getWorkflowExecutionHistory({ namespace: this.client.options.namespace, execution: { workflowId, runId }, nextPageToken });
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    const owed = owesWork(events);
    this.owedAt.set(run, { historyLength: events.length, owed });
    // Grew between the two reads: it is working.
    return owed || events.length !== historyLength;
  }
}

const describesAtOnce = 16;
const EventType = proto.temporal.api.enums.v1.EventType;

/**
 * A workflow task scheduled and not yet completed, or a child start, an external signal or an
 * external cancellation the workflow asked for that the server has not answered yet (the child
 * not there yet, the signal not delivered).
 */
function owesWork(events: proto.temporal.api.history.v1.IHistoryEvent[]): boolean {
  let workflowTaskOpen = false;
  const unanswered = new Set<number>();
  for (const event of events) {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        workflowTaskOpen = true;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        workflowTaskOpen = false;
        break;
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
      case EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
      case EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
        unanswered.add(Number(event.eventId));
        break;
      default: {
        const answer =
          event.childWorkflowExecutionStartedEventAttributes ??
          event.startChildWorkflowExecutionFailedEventAttributes ??
          event.externalWorkflowExecutionSignaledEventAttributes ??
          event.signalExternalWorkflowExecutionFailedEventAttributes ??
          event.externalWorkflowExecutionCancelRequestedEventAttributes ??
          event.requestCancelExternalWorkflowExecutionFailedEventAttributes;
        if (answer?.initiatedEventId != null) unanswered.delete(Number(answer.initiatedEventId));
      }
    }
  }
  return workflowTaskOpen || unanswered.size > 0;
}
