import { join } from 'node:path';
import { amsterdamDate } from '../shared/calendar/amsterdam-clock.js';
import { addDays, addMonths } from '../shared/calendar/iso-date.js';
import { money } from '../shared/money.js';
import { apiCaller, type ApiCaller } from './api-calls.js';
import { drillCluster, outboxFiles, type DrillCluster } from './cluster.js';
import { inParallel, openCaseRequest, sleep } from './drill-tracks.js';
import { seededRandom } from './seeded-random.js';

export interface WorkerKilledOptions {
  readonly tracks: number;
  readonly kills: number;
  /** Requests in flight at once, as a billing system's import would send them. */
  readonly concurrency?: number;
  readonly seed?: number;
  readonly log?: (line: string) => void;
  /** A Postgres server the drill may make its database on (default DATABASE_URL, else embedded). */
  readonly adminUrl?: string;
  /** A running cluster to drill on (the short drills share one); default: one of the drill's own. */
  readonly cluster?: DrillCluster;
}

export interface WorkerKilledCounts {
  readonly tracks: number;
  readonly kills: number;
  readonly seconds: number;
  readonly lost: number;
  readonly stuck: number;
  readonly lettersTwice: number;
  readonly paymentsTwice: number;
  readonly stepsMissing: number;
  readonly serverErrorsOtherThan503: number;
  /** Requests answered 503 while the worker was away and sent again: the client's part of the drill. */
  readonly repeatedRequests: number;
  readonly details: readonly string[];
}

type Plan = 'pay_part' | 'pay_all' | 'arrangement';

interface TrackPlan {
  readonly contractRef: string;
  readonly plan: Plan;
  caseId?: string;
  /** What the drill paid in, by transactionId: the ledger must show exactly these. */
  readonly payments: Map<string, string>;
  arrangement?: boolean;
}

/**
 * SIGKILL the worker at random moments while tracks are opened, paid and given arrangements, and
 * restart it each time; then count what a lost worker could have broken. Every track must exist
 * and answer, have sent its first reminder once, hold each payment once, and have its arrangement
 * confirmed once.
 */
export async function workerKilledDrill(options: WorkerKilledOptions): Promise<WorkerKilledCounts> {
  const log = options.log ?? (() => {});
  const random = seededRandom(options.seed ?? 20261202);
  const started = Date.now();
  const { cluster, done } = await drillCluster('worker-killed', options);
  try {
    const api = apiCaller(cluster.apiUrl);
    const today = amsterdamDate(Date.now());
    const plans: TrackPlan[] = Array.from({ length: options.tracks }, (_, i) => ({
      contractRef: `DRILL-${i + 1}`,
      plan: (['pay_part', 'pay_part', 'pay_all', 'arrangement'] as const)[i % 4]!,
      payments: new Map(),
    }));
    let repeatedRequests = 0;
    const counted = async (p: Promise<{ attempts: number; status: number; body: any }>) => {
      const answer = await p;
      repeatedRequests += answer.attempts - 1;
      return answer;
    };

    // The killer runs beside the work: a kill at a random moment, a restart after a random pause.
    let working = true;
    let kills = 0;
    const killer = (async () => {
      while (working && kills < options.kills) {
        await sleep(200 + random() * 3_000);
        if (!working) break;
        await cluster.kill('worker');
        kills++;
        log(`worker killed (${kills}/${options.kills})`);
        await sleep(random() * 2_000);
        await cluster.start('worker');
      }
    })();

    const work = inParallel(plans, options.concurrency ?? 8, async (track, i) => {
      const opened = await counted(api.callUntilAnswered('POST', '/v1/cases', cluster.keys.billing, openCaseRequest(track.contractRef, addDays(today, -20 - (i % 10)))));
      if (opened.status !== 201 && opened.status !== 200) throw new Error(`open ${track.contractRef}: ${opened.status} ${JSON.stringify(opened.body)}${opened.status >= 500 ? `\n${cluster.unhandledErrors('api').slice(-2).join('\n')}` : ''}`);
      track.caseId = opened.body.caseId;
      const pay = async (transactionId: string, amount: string) => {
        track.payments.set(transactionId, amount);
        const answer = await counted(api.callUntilAnswered('POST', `/v1/cases/${track.caseId}/payments`, cluster.keys.billing, { transactionId, amount, bookedOn: today }));
        if (answer.status !== 202) throw new Error(`pay ${track.contractRef}: ${answer.status} ${JSON.stringify(answer.body)}${answer.status >= 500 ? `\n${cluster.unhandledErrors('api').slice(-2).join('\n')}` : ''}`);
      };
      if (track.plan === 'pay_part') await pay(`${track.contractRef}-T1`, '100.00');
      if (track.plan === 'pay_all') await pay(`${track.contractRef}-T1`, '900.00');
      if (track.plan === 'arrangement') {
        // While the worker is away the case answers from the database (stale, without a balance): wait for the track.
        let status = await counted(api.callUntilAnswered('GET', `/v1/cases/${track.caseId}`, cluster.keys.operator));
        while (status.body?.stale || !status.body?.balance) {
          await sleep(1_000);
          status = await counted(api.callUntilAnswered('GET', `/v1/cases/${track.caseId}`, cluster.keys.operator));
        }
        const outstanding = money(status.body.balance.outstanding);
        const part = outstanding.div(3).toDecimalPlaces(2, 1);
        const instalments = [0, 1, 2].map((n) => ({
          dueDate: addMonths(addDays(today, 7), n),
          amount: (n < 2 ? part : outstanding.minus(part.times(2))).toFixed(2),
        }));
        const answer = await counted(api.callUntilAnswered('POST', `/v1/cases/${track.caseId}/arrangements`, cluster.keys.operator, { instalments }));
        // A repeat of an accepted proposal meets the running arrangement: 409, not a second one.
        track.arrangement = answer.status === 200 || answer.status === 409;
        if (!track.arrangement) throw new Error(`arrangement ${track.contractRef}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    });
    // Every kill happens, even when the work is done first (the tracks are then still catching
    // up); a failed work stops the killer before the cluster goes down under it.
    await work.catch(async (error) => {
      working = false;
      await killer;
      throw error;
    });
    await killer;
    // The worker is up again after the last kill: every track now catches up.
    return { ...(await countDamage(cluster, api, plans)), tracks: plans.length, kills, seconds: Math.round((Date.now() - started) / 1000), repeatedRequests };
  } finally {
    await done();
  }
}

async function countDamage(cluster: DrillCluster, api: ApiCaller, plans: TrackPlan[]) {
  const details: string[] = [];
  let lost = 0;
  let stuck = 0;
  let paymentsTwice = 0;
  let stepsMissing = 0;
  const deadline = Date.now() + 180_000;
  for (const track of plans) {
    // A track that does not answer within the deadline, or whose steps are not done by then, is stuck.
    let status: any;
    for (;;) {
      const answer = await api.call('GET', `/v1/cases/${track.caseId}`, cluster.keys.operator);
      if (answer.status === 404) break;
      status = answer.body;
      if (answer.status === 200 && !status.stale && stepsDone(track, status)) break;
      if (Date.now() > deadline) break;
      await sleep(500);
    }
    if (!status) {
      lost++;
      details.push(`${track.contractRef}: lost (404)`);
      continue;
    }
    if (status.stale || !stepsDone(track, status)) {
      if (status.stale) stuck++;
      else stepsMissing++;
      details.push(`${track.contractRef}: ${status.stale ? 'stuck (engine does not answer)' : 'a due step is not done'} — stage ${status.stage}, letters ${status.letters?.map((l: any) => l.kind).join(',')}`);
    }
    const booked = (status.payments ?? []) as { transactionId: string; amount: string }[];
    const seen = new Map<string, number>();
    for (const p of booked) seen.set(p.transactionId, (seen.get(p.transactionId) ?? 0) + 1);
    for (const [transactionId, times] of seen) if (times > 1) paymentsTwice += times - 1;
    const paid = money(status.balance?.paid ?? '0');
    const sent = [...track.payments.values()].reduce((sum, amount) => sum.plus(amount), money('0'));
    if (!paid.equals(sent)) details.push(`${track.contractRef}: paid ${paid.toFixed(2)} on the track, ${sent.toFixed(2)} sent`);
  }
  // Letters: one row per step by idempotency key, and one file per letter in the outbox.
  const rows = await cluster.db.selectFrom('letter').select(['letter_id', 'case_id', 'kind', 'idempotency_key']).execute();
  // Only this drill's tracks: on a shared cluster other drills' letters are theirs to count.
  const ownCases = new Set(plans.map((t) => t.caseId));
  let lettersTwice = 0;
  const perStep = new Map<string, number>();
  for (const row of rows.filter((r) => ownCases.has(r.case_id))) {
    const step = `${row.case_id}/${row.kind}`;
    perStep.set(step, (perStep.get(step) ?? 0) + 1);
  }
  // In the drill's few minutes each track sends one reminder and at most one confirmation.
  for (const [step, times] of perStep) if (times > 1) {
    lettersTwice += times - 1;
    details.push(`${step}: ${times} letters`);
  }
  for (const track of plans.filter((t) => t.plan === 'arrangement')) {
    if (!perStep.has(`${track.caseId}/arrangement_confirmation`)) {
      stepsMissing++;
      details.push(`${track.contractRef}: no arrangement confirmation`);
    }
  }
  const files = outboxFiles(join(cluster.dataDir, 'outbox', 'letters'));
  if (files > rows.length) {
    lettersTwice += files - rows.length;
    details.push(`${files} letter files in the outbox for ${rows.length} letters`);
  }
  return { lost, stuck, lettersTwice, paymentsTwice, stepsMissing, serverErrorsOtherThan503: [...api.serverErrors].filter(([s]) => s !== 503).reduce((n, [, c]) => n + c, 0), details };
}

function stepsDone(track: TrackPlan, status: any): boolean {
  const letters = (status.letters ?? []) as { kind: string }[];
  if (track.plan === 'pay_all') return status.stage === 'closed';
  // An arrangement accepted before the worker came back to send the reminder makes the reminder no longer due.
  // Its confirmation letter is counted from the letter table below: the case's letter list holds the track's own letters.
  if (track.plan === 'arrangement') return status.arrangement !== null;
  return letters.some((l) => l.kind === 'reminder');
}
