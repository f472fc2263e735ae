import { badInputDrill } from './bad-input.js';
import { bankFileDrill } from './bank-file.js';
import { databaseRestartDrill } from './database-restart.js';
import { lettersDownDrill } from './letters-down.js';
import { workerKilledDrill } from './worker-killed.js';

/**
 * `npm run drill [-- --quick] [-- <drill>…]`: each drill runs the processes separately, injects one
 * fault and prints what it counted beside the goal. Not part of `npm test` (a short version of each
 * is: test/drill/). Exits 1 when a count misses its goal.
 */
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const verbose = args.includes('--verbose');
const chosen = args.filter((a) => !a.startsWith('--'));
const wanted = (name: string) => chosen.length === 0 || chosen.includes(name);
const log = verbose ? (line: string) => console.log(`  ${line}`) : () => {};

interface Row { readonly drill: string; readonly figure: string; readonly value: number; readonly goal: number }
const rows: Row[] = [];
/** One drill's figures as [figure, count, goal]; the goal is 0 unless given. */
const record = (drill: string, ...figures: [figure: string, value: number, goal?: number][]) => {
  for (const [figure, value, goal = 0] of figures) rows.push({ drill, figure, value, goal });
};

if (wanted('worker-killed')) {
  const tracks = quick ? 40 : 200;
  const kills = quick ? 5 : 20;
  console.log(`worker killed: ${kills} SIGKILLs while ${tracks} tracks are opened, paid and given arrangements…`);
  const counts = await workerKilledDrill({ tracks, kills, log });
  for (const detail of counts.details.slice(0, 20)) console.log(`  ${detail}`);
  console.log(`  ${counts.seconds} s, ${counts.repeatedRequests} requests repeated after a 503`);
  record(
    'worker-killed',
    ['tracks lost', counts.lost],
    ['tracks stuck', counts.stuck],
    ['due steps not done', counts.stepsMissing],
    ['letters dispatched twice', counts.lettersTwice],
    ['payments booked twice', counts.paymentsTwice],
    ['answers 5xx other than 503', counts.serverErrorsOtherThan503],
  );
}

if (wanted('letters-down')) {
  const tracks = quick ? 20 : 100;
  const outageSeconds = quick ? 60 : 300;
  console.log(`letter service down for ${outageSeconds} s while ${tracks} tracks' first reminders are due…`);
  const counts = await lettersDownDrill({ tracks, outageSeconds, log });
  for (const detail of counts.details.slice(0, 20)) console.log(`  ${detail}`);
  console.log(`  every reminder out ${counts.secondsToCatchUp} s after the service returned`);
  record(
    'letters-down',
    ['tracks failed', counts.failedTracks],
    ['letters never sent', counts.lettersMissing],
    ['letters sent twice', counts.lettersTwice],
  );
}

if (wanted('database-restart')) {
  const tracks = quick ? 40 : 200;
  const downSeconds = quick ? 10 : 30;
  console.log(`database restarted: Postgres down for ${downSeconds} s while ${tracks} tracks are opened, paid and read…`);
  const counts = await databaseRestartDrill({ tracks, downSeconds, loadSeconds: quick ? 30 : 90, log });
  for (const detail of counts.details.slice(0, 20)) console.log(`  ${detail}`);
  console.log(`  ${counts.seconds} s; ${counts.unavailableAnswers} answers 503 database_unavailable, ${counts.otherUnavailableAnswers} other 503s; the API answered again ${counts.secondsToRecover} s after Postgres was back`);
  record(
    'database-restart',
    ['answers 5xx other than 503', counts.serverErrorsOtherThan503],
    ['5xx not in the error shape', counts.answersNotInErrorShape],
    ['requests without an answer', counts.requestsUnanswered],
    ['processes that died', counts.processesDied],
    ['seconds to answer again', counts.secondsToRecover, 10],
    ['seconds until tracks caught up', counts.secondsToCatchUp, 120],
    ['tracks lost', counts.casesLost],
    ['payments lost', counts.paymentsLost],
    ['payments booked twice', counts.paymentsTwice],
    ['tracks stuck', counts.tracksStuck],
    ['letters sent twice', counts.lettersTwice],
  );
}

if (wanted('bank-file')) {
  const tracks = quick ? 30 : 300;
  console.log(`bank file: one statement imported three times at once and again later, and one that overlaps it, for ${tracks} tenants…`);
  const counts = await bankFileDrill({ tracks });
  for (const detail of counts.details.slice(0, 20)) console.log(`  ${detail}`);
  record(
    'bank-file',
    ['balances not as after one import', counts.balancesWrong],
    ['payments booked twice', counts.paymentsTwice],
    ['answers 5xx', counts.serverErrors],
    ['bookings counted twice', counts.bookingsClaimedTwice],
  );
}

if (wanted('bad-input')) {
  const requests = quick ? 2_000 : 10_000;
  console.log(`bad input: ${requests} generated requests over every route of the OpenAPI document…`);
  const counts = await badInputDrill({ requests });
  for (const detail of counts.details.slice(0, 20)) console.log(`  ${detail}`);
  console.log(`  ${counts.routes} routes; answers by status: ${JSON.stringify(counts.byStatus)}`);
  record(
    'bad-input',
    ['answers 5xx', counts.serverErrors],
    ['invalid requests accepted', counts.accepted],
    ['tables changed', counts.tablesChanged],
    ['workflows changed', counts.workflowsChanged],
  );
}

console.log(`\n${'drill'.padEnd(16)} ${'figure'.padEnd(30)} ${'count'.padStart(6)} ${'goal'.padStart(6)}`);
for (const row of rows) console.log(`${row.drill.padEnd(16)} ${row.figure.padEnd(30)} ${String(row.value).padStart(6)} ${String(row.goal).padStart(6)}${row.value > row.goal ? '  MISSED' : ''}`);
process.exit(rows.some((r) => r.value > r.goal) ? 1 : 0);
