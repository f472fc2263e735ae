import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Connection } from '@temporalio/client';
import { personActor } from '../../infra/db/api-key-store.js';
import { createApiApp } from '../../services/api/api-app.js';
import { listen } from '../../services/http/serve.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { eventually } from '../support/eventually.js';
import { policyWith } from '../support/policies.js';
import { caseRequest, ensureTestCorporation, rentClaim } from '../support/tracks.js';

/**
 * The operations page in a real browser (Debian's Chromium, driven by playwright-core) against
 * the real API, Temporal dev server, worker and Postgres: the tracks below create the work.
 */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = join(process.cwd(), 'test', 'artifacts');
const today = amsterdamDate(Date.now());
/** Corporation A, whose people sign in, and B, whose tenants they must never see. */
const corpA = 'ops-corp-a';
const corpB = 'ops-corp-b';
const callingPolicy = policyWith({ callRound: { afterDefaultDays: 0, expiresAfterDays: 7 } });

let api: ApiHarness;
/** A stand-in for the Temporal Web UI: a page of another origin on this machine, as the UI is. */
let ui: Server;
let uiOrigin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const people = {} as Record<'operatorA' | 'approverA' | 'proposerAsApprover' | 'operatorB', { key: string; keyId: string }>;
let caseA: { caseId: string; workflowId: string; contractRef: string };
let caseB: { caseId: string; workflowId: string; contractRef: string };

/**
 * Rent due a week ago: the call round opened on the first day of default (expiring tomorrow) and
 * the first reminder (five days after default, by post) goes out as the track starts.
 */
async function openCallingCase(corporationId: string) {
  const request = caseRequest({ corporationId, claims: [rentClaim('R-1', '812.50', addDays(today, -7))] });
  const opened = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: { ...request, debtor: { ...request.debtor, name: `Huurder ${corporationId}`, phone: '06-12345678' } } });
  expect(opened.status).toBe(201);
  return { ...(opened.body as { caseId: string; workflowId: string }), contractRef: request.contractRef };
}

const openTask = (caseId: string) =>
  eventually(
    () => api.database.db.selectFrom('task').selectAll().where('case_id', '=', caseId).where('kind', '=', 'call').executeTakeFirst(),
    (row) => row?.status === 'open',
  );

async function signIn(key: string) {
  await page.goto(`${api.baseUrl}/ops`);
  // Not signed in: the page sends the browser to the sign-in form.
  expect(page.url()).toBe(`${api.baseUrl}/ops/sign-in`);
  await page.fill('#api-key', key);
  await Promise.all([page.waitForURL(`${api.baseUrl}/ops`), page.click('#sign-in')]);
}

async function signOut() {
  await Promise.all([page.waitForURL(`${api.baseUrl}/ops/sign-in`), page.click('#sign-out')]);
}

const shot = (name: string) => page.screenshot({ path: join(artifacts, name), fullPage: true });

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  ui = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Temporal UI stand-in</title>'));
  await new Promise<void>((resolve) => ui.listen(0, '127.0.0.1', resolve));
  uiOrigin = `http://127.0.0.1:${(ui.address() as AddressInfo).port}`;
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') }, codecCorsOrigins: [uiOrigin] });
  for (const corporationId of [corpA, corpB]) {
    await ensureTestCorporation(api.database.db, { corporationId, bailiffOfficeId: 'gdw-test', policy: callingPolicy });
    await api.grant(corporationId);
  }
  const bound = (role: 'operator' | 'approver', person: string, corporationId: string) => api.makeKey({ role, person, corporationIds: [corporationId], bailiffOfficeId: null });
  // Rented units make the per-unit figures chartable.
  await api.database.db.updateTable('corporation').set({ rented_units: 1000 }).where('corporation_id', '=', corpA).execute();
  people.operatorA = await bound('operator', 'Anna Operator', corpA);
  people.approverA = await bound('approver', 'Bart Approver', corpA);
  // The harness's operator proposes the hand-over below; this is the same person with an approver key.
  people.proposerAsApprover = await bound('approver', 'test operator', corpA);
  people.operatorB = await bound('operator', 'Bea Operator', corpB);
  [caseA, caseB] = [await openCallingCase(corpA), await openCallingCase(corpB)];
  await Promise.all([openTask(caseA.caseId), openTask(caseB.caseId)]);
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  ui?.close();
});

describe('the operations page in a browser', () => {
  it('signs in with a personal key and shows the call task a real track opened, of its own corporation only', async () => {
    await page.goto(`${api.baseUrl}/ops/sign-in`);
    await shot('ops-01-sign-in.png');
    await signIn(people.operatorA.key);
    const cookie = (await context.cookies()).find((c) => c.name === 'ops_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', secure: false });

    const row = page.locator(`tr[data-task="${caseA.workflowId}/call/1"], tr[data-task^="${caseA.workflowId}"]`).first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(caseA.contractRef);
    await expect(row.textContent()).resolves.toContain('Huurder ops-corp-a');
    expect(await page.locator('#tab-call .count').textContent()).toBe('1');
    // The links: the case page and the track in the Temporal UI.
    expect(await row.locator('a', { hasText: 'Temporal' }).getAttribute('href')).toBe(`http://localhost:8233/namespaces/default/workflows/${encodeURIComponent(caseA.workflowId)}`);
    // Corporation B's tenant is nowhere, even when asked for by filter.
    expect(await page.content()).not.toContain(caseB.contractRef);
    await page.goto(`${api.baseUrl}/ops?list=call&corporationId=${corpB}`);
    expect(await page.content()).not.toContain(caseB.contractRef);
    expect(await page.locator('#tab-call .count').textContent()).toBe('0');
    const foreignCase = await page.goto(`${api.baseUrl}/ops/cases/${caseB.caseId}`);
    expect(foreignCase!.status()).toBe(404);
    expect(await page.content()).not.toContain('Huurder ops-corp-b');
    await page.goto(`${api.baseUrl}/ops?list=call`);
    await shot('ops-02-worklist-calls.png');
  });

  it('records a call outcome through the API, as the signed-in person', async () => {
    const task = await openTask(caseA.caseId);
    const row = page.locator(`tr[data-task="${task!.task_id}"]`);
    await row.locator('select[name="outcome"]').selectOption('reached');
    await row.locator('input[name="note"]').fill('spoke to the tenant');
    await row.locator('button', { hasText: 'Record' }).click();
    await expect(row.locator('.ok').textContent()).resolves.toContain('recorded: reached');
    await shot('ops-03-call-outcome-recorded.png');
    const stored = await api.database.db.selectFrom('task').selectAll().where('task_id', '=', task!.task_id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'completed', outcome: 'reached', note: 'spoke to the tenant', completed_by: personActor('Anna Operator') });
    // A second attempt is refused by the API (the task is no longer open), and the page says so.
    await row.locator('select[name="outcome"]').selectOption('not_reached');
    await row.locator('button', { hasText: 'Record' }).click();
    await expect(row.locator('.error').textContent()).resolves.toContain('conflict');
  });

  it('approves a hand-over another person proposed (no approve button for the proposer) and the track moves on', async () => {
    const proposed = await api.call('POST', `/v1/cases/${caseA.caseId}/proposals`, { key: api.keys.operator, body: { decision: 'handover' } });
    expect(proposed.status).toBe(201);
    const proposalId = proposed.body.proposalId as string;
    await signOut();

    // The proposer, signed in with an approver key of their own: the button is absent, the API would refuse.
    await signIn(people.proposerAsApprover.key);
    await page.goto(`${api.baseUrl}/ops?list=approvals`);
    const proposerRow = page.locator(`tr[data-case="${caseA.caseId}"]`);
    await expect(proposerRow.textContent()).resolves.toContain('hand-over proposed by you (test operator)');
    expect(await proposerRow.locator('button', { hasText: 'Approve' }).count()).toBe(0);
    // Posted anyway, the approval reaches the API as theirs, and the API refuses it.
    const session = (await context.cookies()).find((c) => c.name === 'ops_session')!;
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const forced = await fetch(`${api.baseUrl}/ops/act/approve`, {
      method: 'POST',
      headers: { cookie: `ops_session=${session.value}`, 'x-csrf-token': csrf, 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ caseId: caseA.caseId, decision: 'handover', proposalId }),
    });
    const refusal = await forced.text();
    expect(refusal).toContain('data-status="409"');
    expect(refusal).toContain('same_person');
    await signOut();

    await signIn(people.approverA.key);
    // An approver's key does not list tenants' contact details (GET /v1/tasks is an operator's): nor does the page.
    await page.goto(`${api.baseUrl}/ops?list=call`);
    expect(await page.locator('#list-call').textContent()).toContain('This list is for operator keys');
    expect(await page.content()).not.toContain('Huurder ops-corp-a');
    await page.goto(`${api.baseUrl}/ops?list=approvals`);
    const row = page.locator(`tr[data-case="${caseA.caseId}"]`);
    await expect(row.textContent()).resolves.toContain('hand-over proposed by test operator');
    await shot('ops-04-approvals.png');
    await row.locator('button', { hasText: 'Approve hand-over' }).click();
    await expect(row.locator('.ok').textContent()).resolves.toContain('handover approved');

    // The track starts its bailiff phase: the case page shows it.
    const moved = await eventually(
      async () => {
        await page.goto(`${api.baseUrl}/ops/cases/${caseA.caseId}`);
        return `${await page.locator('#legal-clock').textContent()} ${await page.locator('#letters').textContent()}`;
      },
      (text) => (text.includes('bailiff_amicable') && text.includes('PDF')) ?? false,
    );
    expect(moved).toContain('bailiff_amicable');
    const decisions = await page.locator('#decisions').textContent();
    expect(decisions).toContain('approved');
    expect(decisions).toContain('test operator');
    expect(decisions).toContain('you (Bart Approver)');
    expect(await page.locator('#balance').textContent()).toContain('812.50');
    // The reminder as posted: its PDF through the API's letter route, as the person.
    const pdfLink = page.locator('#letters a', { hasText: 'PDF' }).first();
    const pdf = await context.request.get(new URL((await pdfLink.getAttribute('href'))!, api.baseUrl).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // The track's timeline names people by pseudonym; the desk shows whom it stands for.
    expect(await page.locator('#timeline').textContent()).toContain('handover approved by you (Bart Approver)');
    await shot('ops-05-case-page.png');
  });

  it('shows the KPIs of the last eight quarters as charts and a table, and exports them as CSV', async () => {
    await page.goto(`${api.baseUrl}/ops/kpis?corporationId=${corpA}`);
    await page.waitForSelector('#kpi-charts[data-ready]');
    // A chart per figure with a value in some quarter: write-offs, arrangements and first reminders
    // per unit, cases at the bailiff, collection costs, evictions; the others say what they lack.
    expect(await page.locator('#kpi-charts canvas').count()).toBe(6);
    expect(await page.locator('#chart-firstRemindersPerUnit canvas').count()).toBe(1);
    expect(await page.locator('#chart-averageDaysToPay').textContent()).toContain('no case closed paid');
    expect(await page.locator('#kpi-table thead th').count()).toBe(2 + 8);
    // A figure that needs outside data says which.
    expect(await page.locator('#kpi-missing').textContent()).toContain('billed revenue');
    await shot('ops-06-kpis.png');
    const csv = await context.request.get(`${api.baseUrl}/ops/kpis.csv?corporationId=${corpA}`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('corporation,quarter,from,to,figure,value,numerator,denominator,definition,missing');
    expect(lines.length).toBe(1 + 8 * 14);
    // The first reminder the track sent counts in this quarter's row.
    expect(lines.some((l) => l.includes('"casesAtBailiff"'))).toBe(true);
  });

  it("lets the Temporal UI decode a track's payloads with the signed-in person's cookie, for their own corporation only", async () => {
    const history = await api.client.workflow.getHandle(caseA.workflowId).fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const payload = {
      metadata: Object.fromEntries(Object.entries(input.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(input.data!).toString('base64'),
    };
    // A page at the Temporal UI's origin (served by the test in its place), calling the codec as
    // the UI does with "Include cross-origin credentials": the browser adds our session cookie.
    const decodeFromUi = async () => {
      await page.goto(`${uiOrigin}/namespaces/default/workflows`);
      return page.evaluate(
        async ({ url, payloads }) => {
          const response = await fetch(url, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default' }, body: JSON.stringify({ payloads }) });
          return { status: response.status, body: (await response.json()) as any };
        },
        { url: `${api.baseUrl}/codec/decode`, payloads: [payload] },
      );
    };
    // Signed in as Bart (approver of A, from the test before): decoded.
    const decoded = await decodeFromUi();
    expect(decoded.status).toBe(200);
    expect(Buffer.from(decoded.body.payloads[0].data, 'base64').toString('utf8')).toContain(caseA.caseId);

    // Corporation B's operator: refused.
    await page.goto(`${api.baseUrl}/ops`);
    await signOut();
    await signIn(people.operatorB.key);
    const foreign = await decodeFromUi();
    expect(foreign.status).toBe(403);
    // Signed out: refused.
    await page.goto(`${api.baseUrl}/ops`);
    await signOut();
    expect((await decodeFromUi()).status).toBe(401);
  });

  it('refuses a form or a /v1 call without the CSRF token, and ends the session when its key is revoked', async () => {
    await signIn(people.operatorA.key);
    const cookie = (await context.cookies()).find((c) => c.name === 'ops_session')!;
    const headers = { cookie: `ops_session=${cookie.value}` };
    const task = await api.database.db.selectFrom('task').select('task_id').where('case_id', '=', caseB.caseId).executeTakeFirstOrThrow();
    const form = new URLSearchParams({ taskId: task.task_id, outcome: 'reached' });
    const withoutToken = await fetch(`${api.baseUrl}/ops/act/task-outcome`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(withoutToken.status).toBe(403);
    expect((await fetch(`${api.baseUrl}/v1/tasks`, { headers })).status).toBe(403);
    // With the token, a task of corporation B is as unknown to A's person as to A's key.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const foreign = await fetch(`${api.baseUrl}/ops/act/task-outcome`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true', 'x-csrf-token': csrf },
      body: form,
    });
    expect(await foreign.text()).toContain('not_found');
    const listed = await fetch(`${api.baseUrl}/v1/tasks`, { headers: { ...headers, 'x-csrf-token': csrf } });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(await listed.json())).not.toContain(caseB.caseId);

    expect((await api.call('DELETE', `/v1/api-keys/${people.operatorA.keyId}`, { key: api.keys.admin })).status).toBe(200);
    const after = await fetch(`${api.baseUrl}/ops`, { headers, redirect: 'manual' });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/ops/sign-in');
  });

  it("reviews an arrangement against the policy before sending, and shows the track's refusal by its rule", async () => {
    await signIn(people.operatorB.key);
    await page.goto(`${api.baseUrl}/ops/cases/${caseB.caseId}`);
    await page.fill('#arrangements textarea[name="instalments"]', `${addDays(today, 7)} 100.00\nnot a line`);
    await page.click('#arrangements button:has-text("Review against the policy")');
    const review = page.locator('#arrangement-check');
    await review.waitFor();
    // What will be sent, the outstanding amount, the policy's rules, and what could not be read.
    await expect(review.textContent()).resolves.toMatch(/Outstanding today: € 8\d\d\.\d\d/);
    await expect(review.textContent()).resolves.toContain("The policy's rules (version 1)");
    await expect(review.textContent()).resolves.toContain('Not read (use YYYY-MM-DD amount): not a line');
    await shot('ops-07-arrangement-review.png');
    await page.click('#accept-arrangement');
    // The track's validator refuses it (the instalments do not add up): nothing is stored.
    await expect(page.locator('#arrangement-result .error').textContent()).resolves.toContain('total_below_outstanding');
    const state = await api.call('GET', `/v1/cases/${caseB.caseId}`, { key: api.keys.operator });
    expect(state.body.arrangements).toBe(0);
  });

  it('marks the cookie Secure when a trusted proxy says the request came over TLS', async () => {
    const behindProxy = await listen(
      createApiApp({ db: api.database.db, connection: api.client.connection as Connection, client: api.client, taskQueue: 'ops-proxy', simulation: false, serviceUrls: { letters: '', bank: '', municipality: '' }, trustProxy: 'loopback' }),
      0,
    );
    try {
      const cookieOf = async (headers: Record<string, string>) => (await fetch(`${behindProxy.url}/ops/sign-in`, { headers })).headers.get('set-cookie') ?? '';
      expect(await cookieOf({ 'x-forwarded-proto': 'https' })).toMatch(/HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+; Secure$/);
      expect(await cookieOf({})).not.toContain('Secure');
    } finally {
      await behindProxy.close();
    }
  });
});
