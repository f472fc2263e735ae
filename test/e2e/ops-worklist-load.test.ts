import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import { addDays } from '../../shared/calendar/iso-date.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { ensureTestCorporation } from '../support/tracks.js';

/**
 * The operations page's call worklist with 5,000 open tasks of the signed-in person's corporation
 * (and 5,000 of another): seeded rows, no tracks, so the figure is the page's own cost, over HTTP
 * with the session, audit entry included. Paged and counted on indexes, it stays fast.
 */
const perCorporation = 5_000;
const today = amsterdamDate(Date.now());
let api: ApiHarness;
let cookie: string;

async function seed(corporationId: string) {
  await ensureTestCorporation(api.database.db, { corporationId });
  const ids = Array.from({ length: perCorporation }, (_, i) => i);
  for (let start = 0; start < perCorporation; start += 1000) {
    const chunk = ids.slice(start, start + 1000);
    const cases = chunk.map((i) => ({
      case_id: `${corporationId === 'load-a' ? 'a' : 'b'}0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      corporation_id: corporationId,
      contract_ref: `${corporationId}-HC-${i}`,
      workflow_id: `track/${corporationId}/${corporationId}-HC-${i}`,
      proposed_segment: 'unknown',
      stage: 'reminder' as const,
    }));
    await api.database.db.insertInto('collection_case').values(cases).execute();
    await api.database.db
      .insertInto('debtor')
      .values(cases.map((c, k) => ({ case_id: c.case_id, name: `Huurder ${corporationId} ${chunk[k]}`, street: 'Proefstraat 1', postal_code: '1234 AB', city: 'Teststad', phone: '06-12345678' })))
      .execute();
    await api.database.db
      .insertInto('task')
      .values(cases.map((c, k) => ({ task_id: `${c.workflow_id}/call/1`, case_id: c.case_id, corporation_id: corporationId, kind: 'call' as const, opened_on: today, expires_on: addDays(today, chunk[k]! % 60), arrears: '812.50' })))
      .execute();
  }
}

async function signIn(key: string): Promise<string> {
  const form = await fetch(`${api.baseUrl}/ops/sign-in`);
  const signInCookie = form.headers.get('set-cookie')!.split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const signedIn = await fetch(`${api.baseUrl}/ops/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: signInCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, apiKey: key }),
  });
  expect(signedIn.status).toBe(303);
  return signedIn.headers.getSetCookie().find((c) => c.startsWith('ops_session='))!.split(';')[0]!;
}

async function timed(path: string) {
  const started = performance.now();
  const response = await fetch(`${api.baseUrl}${path}`, { headers: { cookie } });
  const body = await response.text();
  return { ms: performance.now() - started, status: response.status, body };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  await seed('load-a');
  await seed('load-b');
  await sql`analyze`.execute(api.database.db);
  const { key } = await api.makeKey({ role: 'operator', person: 'Load Operator', corporationIds: ['load-a'], bailiffOfficeId: null });
  cookie = await signIn(key);
});
afterAll(async () => {
  await api?.close();
});

describe('the call worklist with 5,000 open tasks', () => {
  it('loads its first page, a deep page and a filtered page fast, counting all and showing only its own corporation', async () => {
    const first = await timed('/ops?list=call');
    expect(first.status).toBe(200);
    expect(first.body).toContain('5000 open, soonest deadline first');
    expect((first.body.match(/<tr data-task=/g) ?? []).length).toBe(25);
    expect(first.body).not.toContain('load-b-HC');

    const samples: Record<string, number[]> = { first: [], deep: [], filtered: [] };
    // The 41st page: the cursor the 40th page's link carries.
    let deepPath = '/ops?list=call';
    for (let i = 0; i < 40; i++) {
      const page = await timed(deepPath);
      deepPath = /id="next-page" href="([^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    }
    for (let i = 0; i < 10; i++) {
      samples.first!.push((await timed('/ops?list=call')).ms);
      samples.deep!.push((await timed(deepPath)).ms);
      samples.filtered!.push((await timed(`/ops?list=call&dueBy=${addDays(today, 3)}&contract=load-a-HC-4`)).ms);
    }
    const figures = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, { medianMs: Math.round(median(values)), maxMs: Math.round(Math.max(...values)) }]));
    console.log(`ops worklist with ${perCorporation} open tasks (plus ${perCorporation} of another corporation):`, JSON.stringify(figures));
    for (const { medianMs } of Object.values(figures)) expect(medianMs).toBeLessThan(500);
  });
});
