/**
 * What a track costs the engine to keep: the events and bytes of its history. Two lives, driven
 * through the API in simulation (time-skipping server, the real worker and services, payloads
 * encrypted as in production): a full track to eviction (reminders, call round, 14-day letter,
 * hand-over, summonses, court, eviction, collected in full) and a 24-month arrangement paid
 * instalment by instalment. Histories are read with fetchHistory() and measured as the server
 * stores them (protobuf).
 */
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Kysely } from 'kysely';
import { newApiKey, storeApiKey, type Role } from '../infra/db/api-key-store.js';
import { storePolicy } from '../infra/db/collection-policy-store.js';
import { createDatabase } from '../infra/db/connection.js';
import { upsertCorporation } from '../infra/db/corporation-store.js';
import type { Database } from '../infra/db/database.js';
import { migrateToLatest } from '../infra/db/migrate.js';
import { benchDatabase } from './harness/bench-database.js';
import { arrangementMonitorWorkflowId } from '../shared/arrangement/arrangement-messages.js';
import { addDays, daysBetween } from '../shared/calendar/iso-date.js';
import { formatMoney, money } from '../shared/money.js';
import { defaultCollectionPolicy } from '../shared/policy/collection-policy.js';
import { bailiffPhaseWorkflowId } from '../shared/track/bailiff-messages.js';
import { benchWorkflowBundle } from './harness/workflow-bundle.js';
import { startSimulatedProduct } from './harness/worker-and-api.js';
import type { BenchFigure, BenchSection } from './harness/figure.js';

// A CommonJS package: its namespace comes as the default export under Node's ESM loader.
const { temporal } = proto;
const corporationId = 'bench-corp';
const officeId = 'bench-office';

interface Simulation {
  readonly client: Client;
  call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }>;
  key(role: Role, bailiffOfficeId?: string): Promise<string>;
  advance(days: number): Promise<string>;
  /** Clock moves so far, and their wall time: what the section's own time is mostly made of. */
  readonly moves: { count: number; ms: number };
  today(): Promise<string>;
  stop(): Promise<void>;
}

async function startSimulation(db: Kysely<Database>): Promise<Simulation> {
  // Never unlocks time skipping by itself: time moves only when the API's clock is told to.
  const product = await startSimulatedProduct({ db, taskQueue: `bench-history-${Date.now()}`, workflowBundle: await benchWorkflowBundle(), rateLimitPerMinute: 1_000_000 });
  const { client } = product;
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${product.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const admin = newApiKey('admin');
  await storeApiKey(db, admin, { role: 'admin', person: 'bench-admin', corporationIds: [], bailiffOfficeId: null });
  const keys = new Map<string, string>();
  const moves = { count: 0, ms: 0 };
  return {
    client,
    call,
    moves,
    async key(role, bailiffOfficeId) {
      const cached = keys.get(role);
      if (cached) return cached;
      const key = newApiKey(role);
      await storeApiKey(db, key, { role, person: `bench-${role}`, corporationIds: role === 'bailiff' ? [] : [corporationId], bailiffOfficeId: bailiffOfficeId ?? null });
      keys.set(role, key);
      return key;
    },
    async advance(days) {
      const t0 = performance.now();
      const response = await call('POST', '/v1/simulation/advance', admin, { days });
      moves.count++;
      moves.ms += performance.now() - t0;
      if (response.status !== 200) throw new Error(`advance: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.today as string;
    },
    async today() {
      return (await call('GET', '/v1/simulation/now', admin)).body.today as string;
    },
    async stop() {
      await product.stop();
    },
  };
}

/** Events and protobuf bytes of a workflow's latest run. */
async function footprint(client: Client, workflowId: string): Promise<{ events: number; bytes: number }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return { events: history.events?.length ?? 0, bytes: temporal.api.history.v1.History.encode(history).finish().length };
}

async function expectOk(what: string, response: Promise<{ status: number; body: any }>): Promise<any> {
  const { status, body } = await response;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Polls the case until `done` holds, moving the clock `step` days between looks when `step` > 0. */
async function caseWhen(sim: Simulation, caseId: string, done: (c: any) => boolean, step = 0, maxLooks = 200): Promise<any> {
  const operator = await sim.key('operator');
  let body: any;
  for (let look = 0; look < maxLooks; look++) {
    body = (await sim.call('GET', `/v1/cases/${caseId}`, operator)).body;
    if (done(body)) return body;
    if (step > 0) await sim.advance(step);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`case ${caseId} never got there; last seen stage ${body?.stage}, next ${JSON.stringify(body?.nextDeadline)}`);
}

const approve = async (sim: Simulation, caseId: string, decision: string, proposalId: string) =>
  expectOk(`approve ${decision}`, sim.call('POST', `/v1/cases/${caseId}/approvals`, await sim.key('approver'), { decision, proposalId }));

/** The whole road under the corporation's default policy, from the first reminder to collection after eviction. */
async function trackToEviction(sim: Simulation): Promise<string> {
  const today = await sim.today();
  const billing = await sim.key('billing');
  const bailiff = await sim.key('bailiff', officeId);
  const opened = await expectOk(
    'open case',
    sim.call('POST', '/v1/cases', billing, {
      corporationId,
      contractRef: 'EVICT-1',
      debtor: { name: 'J. de Benchhuurder', address: { street: 'Benchstraat 12', postalCode: '1234 AB', city: 'Benchstad' }, email: 'huurder@example.nl' },
      claims: [-62, -31, -1].map((days, i) => ({ invoiceRef: `R-${i + 1}`, description: `Huur termijn ${i + 1}`, amount: '812.50', dueDate: addDays(today, days) })),
    }),
  );
  const caseId: string = opened.caseId;
  const handover = (c: any) => c.proposals?.find((p: any) => p.decision === 'handover' && p.status === 'pending');
  const awaiting = await caseWhen(sim, caseId, (c) => c.stage === 'awaiting_handover' && handover(c), 3);
  await approve(sim, caseId, 'handover', handover(awaiting).proposalId);
  await caseWhen(sim, caseId, (c) => c.stage === 'court', 2);
  const event = (body: object) => expectOk('bailiff event', sim.call('POST', `/v1/bailiff/cases/${caseId}/events`, bailiff, body));
  let day = await sim.today();
  await event({ eventId: 'ev-1', type: 'summons_served', date: day });
  await event({ eventId: 'ev-2', type: 'judgment', date: day });
  const eviction = (c: any) => c.proposals?.find((p: any) => p.decision === 'eviction' && p.status === 'pending');
  const judged = await caseWhen(sim, caseId, (c) => c.stage === 'judgment' && eviction(c));
  await approve(sim, caseId, 'eviction', eviction(judged).proposalId);
  await caseWhen(sim, caseId, (c) => c.proposals.some((p: any) => p.decision === 'eviction' && p.status === 'approved'));
  await event({ eventId: 'ev-3', type: 'eviction_scheduled', date: day, evictionDate: addDays(day, 14) });
  await caseWhen(sim, caseId, (c) => c.stage === 'eviction_announced');
  day = await sim.advance(15);
  await event({ eventId: 'ev-4', type: 'evicted', date: day });
  const evicted = await caseWhen(sim, caseId, (c) => c.stage === 'post_eviction');
  await event({ eventId: 'ev-5', type: 'collected', date: day, amount: evicted.balance.outstanding });
  return (await caseWhen(sim, caseId, (c) => c.stage === 'closed')).workflowId as string;
}

/** An arrangement of `months` monthly instalments, each paid on its day, to the track's close. */
async function arrangementPaidOff(sim: Simulation, months: number): Promise<{ track: string; monitor: string }> {
  const today = await sim.today();
  const billing = await sim.key('billing');
  const opened = await expectOk(
    'open case',
    sim.call('POST', '/v1/cases', billing, {
      corporationId,
      contractRef: 'ARR-1',
      debtor: { name: 'A. Regeling', address: { street: 'Termijnlaan 3', postalCode: '1234 AB', city: 'Benchstad' } },
      claims: [{ invoiceRef: 'A-1', description: 'Huur', amount: `${(months * 100).toFixed(2)}`, dueDate: addDays(today, -1) }],
    }),
  );
  const caseId: string = opened.caseId;
  const status = await caseWhen(sim, caseId, (c) => c.stage === 'reminder');
  const outstanding = money(status.balance.outstanding);
  const each = outstanding.div(months).toDecimalPlaces(2, 1);
  const start = addDays(today, 1);
  const instalments = Array.from({ length: months }, (_, i) => ({
    dueDate: addDays(start, Math.round(i * 30.44)),
    amount: formatMoney(i === months - 1 ? outstanding.minus(each.times(months - 1)) : each),
  }));
  const accepted = await expectOk('propose arrangement', sim.call('POST', `/v1/cases/${caseId}/arrangements`, await sim.key('operator'), { instalments }));
  for (const [i, instalment] of instalments.entries()) {
    const now = await sim.today();
    const days = daysBetween(now, instalment.dueDate);
    if (days > 0) await sim.advance(days);
    await expectOk('pay instalment', sim.call('POST', `/v1/cases/${caseId}/payments`, billing, { transactionId: `arr-${i}`, amount: instalment.amount, bookedOn: instalment.dueDate }));
  }
  const closed = await caseWhen(sim, caseId, (c) => c.stage === 'closed', 1, 20);
  return { track: closed.workflowId, monitor: arrangementMonitorWorkflowId(closed.workflowId, accepted.arrangementId) };
}

export const historyFootprintSection: BenchSection = async ({ quick }) => {
  const months = quick ? 3 : 24;
  const database = await benchDatabase('history');
  const db = createDatabase(database.url, { max: 10 });
  let sim: Simulation | undefined;
  try {
    await migrateToLatest(db);
    await db.insertInto('bailiff_office').values({ office_id: officeId, name: 'Bench deurwaarders' }).onConflict((oc) => oc.doNothing()).execute();
    await upsertCorporation(db, corporationId, { name: 'Bench', vatSurcharge: false, bailiffOfficeId: officeId });
    // The sector's default, with arrangements allowed up to two years (the arrangement measured here).
    await storePolicy(db, corporationId, { ...defaultCollectionPolicy, arrangement: { ...defaultCollectionPolicy.arrangement, maxMonths: 24, currentRentMustBePaid: false } }, 'bench');
    const s0 = performance.now();
    sim = await startSimulation(db);
    const startMs = performance.now() - s0;

    const e0 = performance.now();
    const evictionTrack = await trackToEviction(sim);
    await sim.client.workflow.getHandle(evictionTrack).result();
    const track = await footprint(sim.client, evictionTrack);
    const phase = await footprint(sim.client, bailiffPhaseWorkflowId(evictionTrack));
    const evictionMs = performance.now() - e0;
    const a0 = performance.now();
    const arrangement = await arrangementPaidOff(sim, months);
    await sim.client.workflow.getHandle(arrangement.track).result();
    const arrangementTrack = await footprint(sim.client, arrangement.track);
    const monitor = await footprint(sim.client, arrangement.monitor);
    const arrangementMs = performance.now() - a0;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const wallNote = `; wall time: stack start ${s(startMs)} (time-skipping server, services, worker), the track to eviction ${s(evictionMs)}, the arrangement ${s(arrangementMs)}, of which ${sim.moves.count} clock moves ${s(sim.moves.ms)}`;
    const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
    const figures: BenchFigure[] = [
      { section: 'history', name: 'full track to eviction: events', value: track.events, unit: 'events', goal: { atMost: 300 }, note: `the track's own history; its bailiff phase (a child) adds ${phase.events} events, ${kb(phase.bytes)} KB${wallNote}` },
      { section: 'history', name: 'full track to eviction: size', value: kb(track.bytes), unit: 'KB', goal: { atMost: 100 } },
      { section: 'history', name: 'full track to eviction incl. bailiff phase: events', value: track.events + phase.events, unit: 'events', note: `${kb(track.bytes + phase.bytes)} KB together` },
      { section: 'history', name: `${months}-month arrangement paid off: track events`, value: arrangementTrack.events, unit: 'events', note: `${kb(arrangementTrack.bytes)} KB; its monitor (a child) ${monitor.events} events, ${kb(monitor.bytes)} KB${quick ? ' (quick: 3 months instead of 24)' : ''}` },
      { section: 'history', name: `${months}-month arrangement paid off: track size`, value: kb(arrangementTrack.bytes), unit: 'KB' },
    ];
    return figures;
  } finally {
    await sim?.stop();
    await db.destroy();
    await database.stop();
  }
};
