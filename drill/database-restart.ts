import { Connection, WorkflowClient } from '@temporalio/client';
import { join } from 'node:path';
import { amsterdamDate } from '../shared/calendar/amsterdam-clock.js';
import { addDays } from '../shared/calendar/iso-date.js';
import { money } from '../shared/money.js';
import { apiCaller, type AnswerObserver } from './api-calls.js';
import { drillCluster, outboxFiles, type DrillCluster } from './cluster.js';
import { inParallel, openCaseRequest, sleep } from './drill-tracks.js';

export interface DatabaseRestartOptions {
  readonly tracks: number;
  /** How long Postgres stays down between its stop and its start. */
  readonly downSeconds: number;
  /** Over how long the tracks are opened, paid and read: the outage falls in the first third of it. */
  readonly loadSeconds: number;
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
  /**
   * A running cluster that owns its Postgres (startDrillCluster's ownPostgres); default: one of the
   * drill's own. Never a server others use: this drill restarts it.
   */
  readonly cluster?: DrillCluster;
}

export interface DatabaseRestartCounts {
  readonly tracks: number;
  readonly downSeconds: number;
  readonly seconds: number;
  /** Answers 503 database_unavailable: the outage was seen and told as the api.md says. */
  readonly unavailableAnswers: number;
  /** Answers 503 with another code (engine_unavailable: a write whose track waited on the database). */
  readonly otherUnavailableAnswers: number;
  readonly serverErrorsOtherThan503: number;
  /** 5xx answers not in the api.md error shape ({ error: { code, message, details } }) or carrying a stack trace. */
  readonly answersNotInErrorShape: number;
  /** Requests that got no answer at all (the API process gone, a connection cut): a client cannot tell what happened. */
  readonly requestsUnanswered: number;
  /** The API, worker or a service that ended on its own during the drill. */
  readonly processesDied: number;
  /** From Postgres accepting connections again until the first request is answered below 500. */
  readonly secondsToRecover: number;
  /** From Postgres accepting connections again until every track had sent its reminder and booked its payment. */
  readonly secondsToCatchUp: number;
  /** Tracks accepted (201/200) that the database no longer knows, or never accepted within a call's time. */
  readonly casesLost: number;
  /** Accepted (202) payments missing from their track's ledger, and payments on it more than once. */
  readonly paymentsLost: number;
  readonly paymentsTwice: number;
  /** Tracks that did not answer, or had not sent their first reminder, by the deadline. */
  readonly tracksStuck: number;
  readonly lettersTwice: number;
  readonly details: readonly string[];
}

interface Track {
  readonly contractRef: string;
  caseId?: string;
  /** Accepted payments, by transactionId: the ledger must hold exactly these. */
  readonly payments: Map<string, string>;
}

const stackTrace = /\n\s+at\s|\bat\s+\S+\s+\(\S+:\d+:\d+\)|node_modules\//;

/**
 * Postgres restarted (a fast shutdown, as an upgrade or a failover does) while tracks are opened,
 * paid and read. Meanwhile the API answers 503 database_unavailable in the api.md error shape,
 * never a 500 or a stack trace, and stays up; afterwards every accepted track and payment is
 * there, every track goes on and sends its first reminder, once.
 */
export async function databaseRestartDrill(options: DatabaseRestartOptions): Promise<DatabaseRestartCounts> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const { cluster, done } = await drillCluster('database-restart', { ...options, ownPostgres: true });
  if (!cluster.ownsPostgres) {
    await done();
    throw new Error('the database-restart drill restarts Postgres: give it a cluster started with ownPostgres');
  }
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  const crashedBefore = cluster.unexpectedExits().length;
  try {
    const details: string[] = [];
    let unavailableAnswers = 0;
    let otherUnavailableAnswers = 0;
    let serverErrorsOtherThan503 = 0;
    let answersNotInErrorShape = 0;
    let requestsUnanswered = 0;
    let backAt: number | undefined;
    let recoveredAt: number | undefined;
    const observe: AnswerObserver = (request, answer) => {
      const what = `${request.method} ${request.path.replace(/[0-9a-f-]{36}/g, ':id')}`;
      if (answer.status === 0) {
        requestsUnanswered++;
        if (details.length < 40) details.push(`${what}: no answer (${answer.text})`);
        return;
      }
      if (answer.status < 500 && backAt !== undefined && recoveredAt === undefined) recoveredAt = Date.now();
      if (answer.status < 500) return;
      const error = (answer.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
      const shaped = answer.contentType.startsWith('application/json') && typeof error?.code === 'string' && typeof error.message === 'string' && Array.isArray(error.details);
      if (!shaped || stackTrace.test(answer.text)) {
        answersNotInErrorShape++;
        if (details.length < 40) details.push(`${what}: ${answer.status} not in the error shape: ${answer.text.slice(0, 300)}`);
      }
      if (answer.status !== 503) {
        serverErrorsOtherThan503++;
        if (details.length < 40) details.push(`${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
      } else if (error?.code === 'database_unavailable') unavailableAnswers++;
      else otherUnavailableAnswers++;
    };
    const api = apiCaller(cluster.apiUrl, observe);
    const today = amsterdamDate(Date.now());
    const tracks: Track[] = Array.from({ length: options.tracks }, (_, i) => ({ contractRef: `DB-RESTART-${i + 1}`, payments: new Map() }));
    // Every call repeats on 503 as a billing system does; none may wait longer than this.
    const callTimeoutMs = 300_000;

    // The load: tracks opened at an even pace over loadSeconds, each paid in part and read back,
    // and a reader asking for opened tracks all the while (the outage meets writes and reads).
    const paceMs = (options.loadSeconds * 1000) / options.tracks;
    const loadStarted = Date.now();
    let loadDone = false;
    const reader = (async () => {
      for (let i = 0; !loadDone; i++) {
        const opened = tracks.filter((t) => t.caseId);
        if (opened.length > 0) await api.call('GET', `/v1/cases/${opened[i % opened.length]!.caseId}`, cluster.keys.operator).catch(() => {});
        await sleep(200);
      }
    })();
    const restart = (async () => {
      await sleep((options.loadSeconds * 1000) / 3);
      log(`stopping Postgres for ${options.downSeconds} s`);
      await cluster.restartDatabase(options.downSeconds * 1000, () => log('Postgres down'));
      backAt = Date.now();
      log('Postgres accepts connections again');
    })();
    const work = inParallel(tracks, options.concurrency ?? 8, async (track, i) => {
      await sleep(Math.max(0, loadStarted + i * paceMs - Date.now()));
      const opened = await api.callUntilAnswered('POST', '/v1/cases', cluster.keys.billing, openCaseRequest(track.contractRef, addDays(today, -20)), callTimeoutMs);
      if (opened.status !== 201 && opened.status !== 200) {
        details.push(`open ${track.contractRef}: ${opened.status} ${JSON.stringify(opened.body).slice(0, 300)}`);
        return;
      }
      track.caseId = opened.body.caseId;
      const transactionId = `${track.contractRef}-T1`;
      const paid = await api.callUntilAnswered('POST', `/v1/cases/${track.caseId}/payments`, cluster.keys.billing, { transactionId, amount: '100.00', bookedOn: today }, callTimeoutMs);
      if (paid.status === 202) track.payments.set(transactionId, '100.00');
      else details.push(`pay ${track.contractRef}: ${paid.status} ${JSON.stringify(paid.body).slice(0, 300)}`);
      await api.callUntilAnswered('GET', `/v1/cases/${track.caseId}`, cluster.keys.operator, undefined, callTimeoutMs);
    });
    try {
      await work;
    } finally {
      loadDone = true;
      await reader;
      await restart;
    }
    const secondsToRecover = backAt === undefined ? Number.NaN : Math.round(((recoveredAt ?? Date.now()) - backAt) / 100) / 10;
    log(`load done; the API answered again ${secondsToRecover} s after Postgres was back`);

    const damage = await countDamage(cluster, api, tracks, connection, details);
    const secondsToCatchUp = backAt === undefined ? Number.NaN : Math.round((damage.caughtUpAt - backAt) / 1000);
    const crashed = cluster.unexpectedExits().slice(crashedBefore);
    details.push(...crashed);
    if (serverErrorsOtherThan503 > 0) details.push(...cluster.unhandledErrors('api').slice(-3).map((line) => `api log: ${line}`));
    return {
      tracks: tracks.length,
      downSeconds: options.downSeconds,
      seconds: Math.round((Date.now() - started) / 1000),
      unavailableAnswers,
      otherUnavailableAnswers,
      serverErrorsOtherThan503,
      answersNotInErrorShape,
      requestsUnanswered,
      processesDied: crashed.length,
      secondsToRecover,
      secondsToCatchUp,
      casesLost: damage.casesLost,
      paymentsLost: damage.paymentsLost,
      paymentsTwice: damage.paymentsTwice,
      tracksStuck: damage.tracksStuck,
      lettersTwice: damage.lettersTwice,
      details,
    };
  } finally {
    await connection.close();
    await done();
  }
}

async function countDamage(cluster: DrillCluster, api: ReturnType<typeof apiCaller>, tracks: Track[], connection: Connection, details: string[]) {
  let casesLost = 0;
  let paymentsLost = 0;
  let paymentsTwice = 0;
  let tracksStuck = 0;
  const opened = tracks.filter((t): t is Track & { caseId: string } => t.caseId !== undefined);
  const known = new Set(
    opened.length === 0 ? [] : (await cluster.db.selectFrom('collection_case').select('case_id').where('case_id', 'in', opened.map((t) => t.caseId)).execute()).map((r) => r.case_id),
  );
  const client = new WorkflowClient({ connection });
  const deadline = Date.now() + 120_000;
  let caughtUpAt = 0;
  for (const track of opened) {
    if (!known.has(track.caseId)) {
      casesLost++;
      details.push(`${track.contractRef}: accepted, but not in the database`);
      continue;
    }
    // Each track catches up on what the outage held back: its first reminder, the payment on its ledger.
    let status: any;
    for (;;) {
      const answer = await api.call('GET', `/v1/cases/${track.caseId}`, cluster.keys.operator).catch(() => undefined);
      status = answer?.status === 200 ? answer.body : undefined;
      const reminded = (status?.letters ?? []).some((l: { kind: string }) => l.kind === 'reminder');
      const booked = (status?.payments ?? []).length >= track.payments.size;
      if (status && !status.stale && reminded && booked) {
        caughtUpAt = Math.max(caughtUpAt, Date.now());
        break;
      }
      if (Date.now() > deadline) break;
      await sleep(500);
    }
    if (!status || status.stale || !(status.letters ?? []).some((l: { kind: string }) => l.kind === 'reminder')) {
      tracksStuck++;
      details.push(`${track.contractRef}: stuck — ${status ? `stage ${status.stage}, stale ${Boolean(status.stale)}, letters ${(status.letters ?? []).map((l: { kind: string }) => l.kind).join(',') || 'none'}` : 'does not answer'}`);
    }
    const booked = (status?.payments ?? []) as { transactionId: string }[];
    const times = new Map<string, number>();
    for (const p of booked) times.set(p.transactionId, (times.get(p.transactionId) ?? 0) + 1);
    for (const [transactionId, n] of times) if (n > 1) {
      paymentsTwice += n - 1;
      details.push(`${track.contractRef}: payment ${transactionId} booked ${n} times`);
    }
    for (const transactionId of track.payments.keys()) if (!times.has(transactionId)) {
      paymentsLost++;
      details.push(`${track.contractRef}: accepted payment ${transactionId} not on the track`);
    }
    const sent = [...track.payments.values()].reduce((sum, amount) => sum.plus(amount), money('0'));
    if (status && !money(status.balance?.paid ?? '0').equals(sent)) details.push(`${track.contractRef}: paid ${status.balance?.paid} on the track, ${sent.toFixed(2)} accepted`);
    const { status: run } = await client.getHandle(`${await workflowIdOf(cluster, track.caseId)}`).describe();
    if (run.name !== 'RUNNING' && run.name !== 'COMPLETED') {
      tracksStuck++;
      details.push(`${track.contractRef}: workflow ${run.name}`);
    }
  }
  // Letters once: one row per case and kind, and one file in the outbox per row.
  const caseIds = opened.map((t) => t.caseId);
  const rows = caseIds.length === 0 ? [] : await cluster.db.selectFrom('letter').select(['case_id', 'kind']).where('case_id', 'in', caseIds).execute();
  const perStep = new Map<string, number>();
  for (const row of rows) perStep.set(`${row.case_id}/${row.kind}`, (perStep.get(`${row.case_id}/${row.kind}`) ?? 0) + 1);
  let lettersTwice = 0;
  for (const [step, n] of perStep) if (n > 1) {
    lettersTwice += n - 1;
    details.push(`${step}: ${n} letters`);
  }
  const { n: allLetters } = await cluster.db.selectFrom('letter').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const files = outboxFiles(join(cluster.dataDir, 'outbox', 'letters'));
  if (files > Number(allLetters)) {
    lettersTwice += files - Number(allLetters);
    details.push(`${files} letter files in the outbox for ${allLetters} letters`);
  }
  const notOpened = tracks.length - opened.length;
  if (notOpened > 0) details.push(`${notOpened} track(s) never accepted`);
  return { casesLost: casesLost + notOpened, paymentsLost, paymentsTwice, tracksStuck, lettersTwice, caughtUpAt: caughtUpAt || Date.now() };
}

async function workflowIdOf(cluster: DrillCluster, caseId: string): Promise<string> {
  const row = await cluster.db.selectFrom('collection_case').select('workflow_id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
  return row.workflow_id;
}
