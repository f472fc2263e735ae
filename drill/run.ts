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

if (wanted('worker-killed')) {
  const tracks = quick ? 40 : 200;
  const kills = quick ? 5 : 20;
  console.log(`worker killed: ${kills} SIGKILLs while ${tracks} tracks are opened, paid and given arrangements…`);
  const counts = await workerKilledDrill({ tracks, kills, log });
  for (const detail of counts.details.slice(0, 20)) console.log(`  ${detail}`);
  console.log(`  ${counts.seconds} s, ${counts.repeatedRequests} requests repeated after a 503`);
  rows.push(
    { drill: 'worker-killed', figure: 'tracks lost', value: counts.lost, goal: 0 },
    { drill: 'worker-killed', figure: 'tracks stuck', value: counts.stuck, goal: 0 },
    { drill: 'worker-killed', figure: 'due steps not done', value: counts.stepsMissing, goal: 0 },
    { drill: 'worker-killed', figure: 'letters dispatched twice', value: counts.lettersTwice, goal: 0 },
    { drill: 'worker-killed', figure: 'payments booked twice', value: counts.paymentsTwice, goal: 0 },
    { drill: 'worker-killed', figure: 'answers 5xx other than 503', value: counts.serverErrorsOtherThan503, goal: 0 },
  );
}

if (wanted('letters-down')) {
  const tracks = quick ? 20 : 100;
  const outageSeconds = quick ? 60 : 300;
  console.log(`letter service down for ${outageSeconds} s while ${tracks} tracks' first reminders are due…`);
  const counts = await lettersDownDrill({ tracks, outageSeconds, log });
  for (const detail of counts.details.slice(0, 20)) console.log(`  ${detail}`);
  console.log(`  every reminder out ${counts.secondsToCatchUp} s after the service returned`);
  rows.push(
    { drill: 'letters-down', figure: 'tracks failed', value: counts.failedTracks, goal: 0 },
    { drill: 'letters-down', figure: 'letters never sent', value: counts.lettersMissing, goal: 0 },
    { drill: 'letters-down', figure: 'letters sent twice', value: counts.lettersTwice, goal: 0 },
  );
}

if (wanted('database-restart')) {
  const tracks = quick ? 40 : 200;
  const downSeconds = quick ? 10 : 30;
  console.log(`database restarted: Postgres down for ${downSeconds} s while ${tracks} tracks are opened, paid and read…`);
  const counts = await databaseRestartDrill({ tracks, downSeconds, loadSeconds: quick ? 30 : 90, log });
  for (const detail of counts.details.slice(0, 20)) console.log(`  ${detail}`);
  console.log(`  ${counts.seconds} s; ${counts.unavailableAnswers} answers 503 database_unavailable, ${counts.otherUnavailableAnswers} other 503s; the API answered again ${counts.secondsToRecover} s after Postgres was back`);
  rows.push(
    { drill: 'database-restart', figure: 'answers 5xx other than 503', value: counts.serverErrorsOtherThan503, goal: 0 },
    { drill: 'database-restart', figure: '5xx not in the error shape', value: counts.answersNotInErrorShape, goal: 0 },
    { drill: 'database-restart', figure: 'requests without an answer', value: counts.requestsUnanswered, goal: 0 },
    { drill: 'database-restart', figure: 'processes that died', value: counts.processesDied, goal: 0 },
    { drill: 'database-restart', figure: 'seconds to answer again', value: counts.secondsToRecover, goal: 10 },
    { drill: 'database-restart', figure: 'seconds until tracks caught up', value: counts.secondsToCatchUp, goal: 120 },
    { drill: 'database-restart', figure: 'tracks lost', value: counts.casesLost, goal: 0 },
    { drill: 'database-restart', figure: 'payments lost', value: counts.paymentsLost, goal: 0 },
    { drill: 'database-restart', figure: 'payments booked twice', value: counts.paymentsTwice, goal: 0 },
    { drill: 'database-restart', figure: 'tracks stuck', value: counts.tracksStuck, goal: 0 },
    { drill: 'database-restart', figure: 'letters sent twice', value: counts.lettersTwice, goal: 0 },
  );
}

if (wanted('bank-file')) {
  const tracks = quick ? 30 : 300;
  console.log(`bank file: one statement imported three times at once and again later, and one that overlaps it, for ${tracks} tenants…`);
  const counts = await bankFileDrill({ tracks });
  for (const detail of counts.details.slice(0, 20)) console.log(`  ${detail}`);
  rows.push(
    { drill: 'bank-file', figure: 'balances not as after one import', value: counts.balancesWrong, goal: 0 },
    { drill: 'bank-file', figure: 'payments booked twice', value: counts.paymentsTwice, goal: 0 },
    { drill: 'bank-file', figure: 'answers 5xx', value: counts.serverErrors, goal: 0 },
    { drill: 'bank-file', figure: 'bookings counted twice', value: counts.bookingsClaimedTwice, goal: 0 },
  );
}

if (wanted('bad-input')) {
  const requests = quick ? 2_000 : 10_000;
  console.log(`bad input: ${requests} generated requests over every route of the OpenAPI document…`);
  const counts = await badInputDrill({ requests });
  for (const detail of counts.details.slice(0, 20)) console.log(`  ${detail}`);
  console.log(`  ${counts.routes} routes; answers by status: ${JSON.stringify(counts.byStatus)}`);
  rows.push(
    { drill: 'bad-input', figure: 'answers 5xx', value: counts.serverErrors, goal: 0 },
    { drill: 'bad-input', figure: 'invalid requests accepted', value: counts.accepted, goal: 0 },
    { drill: 'bad-input', figure: 'tables changed', value: counts.tablesChanged, goal: 0 },
    { drill: 'bad-input', figure: 'workflows changed', value: counts.workflowsChanged, goal: 0 },
  );
}

console.log(`\n${'drill'.padEnd(16)} ${'figure'.padEnd(30)} ${'count'.padStart(6)} ${'goal'.padStart(6)}`);
for (const row of rows) console.log(`${row.drill.padEnd(16)} ${row.figure.padEnd(30)} ${String(row.value).padStart(6)} ${String(row.goal).padStart(6)}${row.value > row.goal ? '  MISSED' : ''}`);
process.exit(rows.some((r) => r.value > r.goal) ? 1 : 0);
