import { Connection, WorkflowClient } from '@temporalio/client';
import { amsterdamDate } from '../shared/calendar/amsterdam-clock.js';
import { addDays } from '../shared/calendar/iso-date.js';
import { apiCaller } from './api-calls.js';
import { drillCluster, type DrillCluster } from './cluster.js';
import { inParallel, openTrack, sleep } from './drill-tracks.js';

export interface LettersDownOptions {
  readonly tracks: number;
  /** How long the letter service stays away (the drill: five minutes). */
  readonly outageSeconds: number;
  readonly adminUrl?: string;
  readonly log?: (line: string) => void;
  /** A running cluster to drill on (the short drills share one); default: one of the drill's own. */
  readonly cluster?: DrillCluster;
}

export interface LettersDownCounts {
  readonly tracks: number;
  readonly outageSeconds: number;
  /** Tracks whose workflow failed or was terminated: a letter that could not go out may never fail a track. */
  readonly failedTracks: number;
  readonly lettersMissing: number;
  readonly lettersTwice: number;
  /** From the letter service's return until the last letter was out. */
  readonly secondsToCatchUp: number;
  readonly details: readonly string[];
}

/**
 * The letter service goes away while tracks are opened and their first reminders are due: the
 * activities retry until it returns, and then every reminder goes out, once.
 */
export async function lettersDownDrill(options: LettersDownOptions): Promise<LettersDownCounts> {
  const log = options.log ?? (() => {});
  const { cluster, done } = await drillCluster('letters-down', options);
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  try {
    const api = apiCaller(cluster.apiUrl);
    const today = amsterdamDate(Date.now());
    await cluster.kill('letters');
    log('letter service stopped');
    const outageEnds = Date.now() + options.outageSeconds * 1000;
    const caseIds: string[] = [];
    await inParallel(
      Array.from({ length: options.tracks }, (_, i) => `LETTERS-DOWN-${i + 1}`),
      8,
      async (contractRef) => {
        caseIds.push((await openTrack(api, cluster, contractRef, addDays(today, -20))).caseId);
      },
    );
    await sleep(Math.max(0, outageEnds - Date.now()));
    const sentDuringOutage = await letterCount(cluster.db, caseIds);
    await cluster.start('letters');
    log(`letter service back; ${sentDuringOutage} letters were sent while it was away`);
    const back = Date.now();

    // Retries back off up to ten minutes (workflows/activity-proxies.ts): wait at most that long.
    const deadline = Date.now() + 11 * 60_000;
    while ((await letterCount(cluster.db, caseIds)) < caseIds.length && Date.now() < deadline) await sleep(1_000);
    const secondsToCatchUp = Math.round((Date.now() - back) / 1000);

    const rows = await cluster.db.selectFrom('letter').select(['case_id', 'kind']).where('kind', '=', 'reminder').where('case_id', 'in', caseIds).execute();
    const perCase = new Map<string, number>();
    for (const row of rows) perCase.set(row.case_id, (perCase.get(row.case_id) ?? 0) + 1);
    const details: string[] = [];
    let lettersMissing = 0;
    let lettersTwice = 0;
    for (const caseId of caseIds) {
      const times = perCase.get(caseId) ?? 0;
      if (times === 0) lettersMissing++;
      if (times > 1) lettersTwice += times - 1;
      if (times !== 1) details.push(`case ${caseId}: ${times} reminders`);
    }
    const client = new WorkflowClient({ connection });
    let failedTracks = 0;
    for (const row of await cluster.db.selectFrom('collection_case').select('workflow_id').where('case_id', 'in', caseIds).execute()) {
      const { status } = await client.getHandle(row.workflow_id).describe();
      if (status.name !== 'RUNNING' && status.name !== 'COMPLETED') {
        failedTracks++;
        details.push(`${row.workflow_id}: ${status.name}`);
      }
    }
    return { tracks: caseIds.length, outageSeconds: options.outageSeconds, failedTracks, lettersMissing, lettersTwice, secondsToCatchUp, details };
  } finally {
    await connection.close();
    await done();
  }
}

async function letterCount(db: DrillCluster['db'], caseIds: readonly string[]): Promise<number> {
  const { n } = await db.selectFrom('letter').select((eb) => eb.fn.countAll<string>().as('n')).where('kind', '=', 'reminder').where('case_id', 'in', caseIds).executeTakeFirstOrThrow();
  return Number(n);
}
