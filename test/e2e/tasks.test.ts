import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTaskActivities } from '../../activities/tasks.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { personActor } from '../../infra/db/api-key-store.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { policyWith } from '../support/policies.js';
import { caseRequest, ensureTestCorporation, rentClaim } from '../support/tracks.js';
import { eventually } from '../support/eventually.js';

let api: ApiHarness;
let tasks: ReturnType<typeof createTaskActivities>;
const today = amsterdamDate(Date.now());
/** A corporation whose tracks open a call task as soon as a claim is in default. */
const callingCorporation = 'calling-corp';

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  await ensureTestCorporation(api.database.db, { corporationId: callingCorporation, policy: policyWith({ callRound: { afterDefaultDays: 0, expiresAfterDays: 7 } }) });
  await api.grant(callingCorporation);
  tasks = createTaskActivities(api.database.db);
});
afterAll(async () => {
  await api?.close();
});

/**
 * A case through POST /v1/cases, so the debtor row (name, phone, address) exists. The rent fell
 * due yesterday: default starts today, so a calling corporation's track opens its call task today
 * (expiring a week on) and nothing else is due yet.
 */
async function openCase(corporationId = 'test-corp') {
  const request = caseRequest({ corporationId, claims: [rentClaim('R-1', '812.50', addDays(today, -1))] });
  const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: { ...request, debtor: { ...request.debtor, phone: '06-98765432' } } });
  expect(created.status).toBe(201);
  return created.body as { caseId: string; workflowId: string };
}

const outcomePath = (taskId: string) => `/v1/tasks/${encodeURIComponent(taskId)}/outcome`;
const taskRow = (taskId: string) => api.database.db.selectFrom('task').selectAll().where('task_id', '=', taskId).executeTakeFirstOrThrow();

describe('tasks and the early-warning objection over HTTP', () => {
  it('lets only operators in: 401 without or with an unknown key, 403 for another role', async () => {
    expect((await api.call('GET', '/v1/tasks', { key: null })).status).toBe(401);
    expect((await api.call('GET', '/v1/tasks', { key: 'hi_operator_nonsense' })).status).toBe(401);
    for (const key of [api.keys.billing, api.keys.bailiff, api.keys.approver]) {
      const refused = await api.call('GET', '/v1/tasks', { key });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
    expect((await api.call('POST', outcomePath('x/call/1'), { key: api.keys.billing, body: { outcome: 'reached' } })).status).toBe(403);
    expect((await api.call('POST', outcomePath('x/call/1'), { key: null, body: { outcome: 'reached' } })).status).toBe(401);
    expect((await api.call('POST', '/v1/cases/00000000-0000-4000-8000-000000000000/early-warning-objection', { key: api.keys.billing, body: {} })).status).toBe(403);
  });

  it('answers a bad query or body with 400 and zod details, and an unknown task or case with 404', async () => {
    for (const query of ['kind=phone', 'status=done', 'limit=0', 'limit=201', 'limit=ten', 'cursor=nonsense', 'corporationId=%20bad%20']) {
      const bad = await api.call('GET', `/v1/tasks?${query}`, { key: api.keys.operator });
      expect(bad.status, query).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
      expect(bad.body.error.details.length).toBeGreaterThan(0);
    }
    const unknown = outcomePath('track-test-corp-nobody/call/1');
    for (const body of [{}, { outcome: 'maybe' }, { outcome: 'promise_to_pay' }, { outcome: 'reached', promisedOn: addDays(today, 3) }, { outcome: 'promise_to_pay', promisedOn: '2026-02-30' }, { outcome: 'reached', note: 'x'.repeat(2001) }]) {
      const bad = await api.call('POST', unknown, { key: api.keys.operator, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.details.length).toBeGreaterThan(0);
    }
    expect((await api.call('POST', unknown, { key: api.keys.operator, body: '{"outcome":' })).status).toBe(400);
    const missing = await api.call('POST', unknown, { key: api.keys.operator, body: { outcome: 'reached' } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    // The task is looked up (and checked against the key's corporations) before a date is weighed against today.
    expect((await api.call('POST', unknown, { key: api.keys.operator, body: { outcome: 'promise_to_pay', promisedOn: addDays(today, -1) } })).status).toBe(404);

    expect((await api.call('POST', '/v1/cases/not-a-uuid/early-warning-objection', { key: api.keys.operator, body: {} })).status).toBe(400);
    const unknownCase = '/v1/cases/00000000-0000-4000-8000-000000000000/early-warning-objection';
    expect((await api.call('POST', unknownCase, { key: api.keys.operator, body: { objectedOn: '2026-13-01' } })).status).toBe(400);
    expect((await api.call('POST', unknownCase, { key: api.keys.operator, body: { objectedOn: addDays(today, 1) } })).status).toBe(404);
    expect((await api.call('POST', unknownCase, { key: api.keys.operator, body: {} })).status).toBe(404);
  });

  it('shows a task on the worklist with the debtor\'s name, phone and address, page by page', async () => {
    const { caseId, workflowId } = await openCase();
    const opened = [3, 1, 2].map((cycle) => ({
      taskId: `${workflowId}/visit/${cycle}`,
      caseId,
      corporationId: 'test-corp',
      kind: 'visit' as const,
      openedOn: today,
      expiresOn: addDays(today, cycle),
      arrears: '812.50',
    }));
    for (const task of opened) await tasks.openTask(task);

    const first = await api.call('GET', '/v1/tasks?kind=visit&corporationId=test-corp&limit=2', { key: api.keys.operator });
    expect(first.status).toBe(200);
    expect(first.body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual([`${workflowId}/visit/1`, `${workflowId}/visit/2`]);
    expect(first.body.tasks[0]).toMatchObject({
      taskId: `${workflowId}/visit/1`,
      caseId,
      corporationId: 'test-corp',
      kind: 'visit',
      status: 'open',
      openedOn: today,
      expiresOn: addDays(today, 1),
      arrears: '812.50',
      outcome: null,
      debtor: { name: 'T. Testhuurder', phone: '06-98765432', address: { street: 'Proefstraat 1', postalCode: '1234 AB', city: 'Teststad' } },
    });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.call('GET', `/v1/tasks?kind=visit&corporationId=test-corp&limit=2&cursor=${first.body.nextCursor}`, { key: api.keys.operator });
    expect(second.body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual([`${workflowId}/visit/3`]);
    expect(second.body.nextCursor).toBeNull();

    // Other kinds, corporations and statuses are filtered out.
    expect((await api.call('GET', '/v1/tasks?kind=call&corporationId=test-corp', { key: api.keys.operator })).body.tasks).toEqual([]);
    // A corporation the key does not hold answers as one that does not exist (issue 10).
    expect((await api.call('GET', '/v1/tasks?kind=visit&corporationId=nobody', { key: api.keys.operator })).status).toBe(404);
    await tasks.closeTask({ taskId: `${workflowId}/visit/3`, status: 'cancelled', closedOn: today });
    const cancelled = await api.call('GET', '/v1/tasks?kind=visit&corporationId=test-corp&status=cancelled', { key: api.keys.operator });
    expect(cancelled.body.tasks.map((t: { taskId: string; status: string }) => [t.taskId, t.status])).toEqual([[`${workflowId}/visit/3`, 'cancelled']]);
    expect((await api.call('POST', outcomePath(`${workflowId}/visit/3`), { key: api.keys.operator, body: { outcome: 'reached' } })).body).toMatchObject({
      error: { code: 'conflict', details: [{ taskId: `${workflowId}/visit/3`, status: 'cancelled' }] },
    });

    // A task the track does not know is refused by the track, and the row stays open.
    const refused = await api.call('POST', outcomePath(`${workflowId}/visit/1`), { key: api.keys.operator, body: { outcome: 'reached', note: 'spoke at the door' } });
    expect(refused.status).toBe(404);
    expect(await taskRow(`${workflowId}/visit/1`)).toMatchObject({ status: 'open', outcome: null, note: null, completed_by: null });
  });

  it('passes the outcome of an open task of a running track to the track, once', async () => {
    const { caseId, workflowId } = await openCase(callingCorporation);
    const worklist = await eventually(
      () => api.call('GET', `/v1/tasks?kind=call&corporationId=${callingCorporation}`, { key: api.keys.operator }),
      (r) => r.body.tasks?.some((t: { caseId: string }) => t.caseId === caseId),
    );
    const task = worklist.body.tasks.find((t: { caseId: string }) => t.caseId === caseId);
    expect(task).toMatchObject({ kind: 'call', status: 'open', openedOn: today, debtor: { name: 'T. Testhuurder', phone: '06-98765432' } });
    const taskId: string = task.taskId;

    // A promise in the past is refused for a task the key holds (400), the task staying open.
    expect((await api.call('POST', outcomePath(taskId), { key: api.keys.operator, body: { outcome: 'promise_to_pay', promisedOn: addDays(today, -1) } })).status).toBe(400);
    const promisedOn = addDays(today, 5);
    const body = { outcome: 'promise_to_pay', promisedOn, note: 'Belt terug, betaalt vrijdag; geheim detail 4711' };
    const done = await api.call('POST', outcomePath(taskId), { key: api.keys.operator, body });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ taskId, caseId, status: 'completed', outcome: 'promise_to_pay', promisedOn, note: body.note, completedBy: personActor('test operator') });
    expect(await api.call('POST', outcomePath(taskId), { key: api.keys.operator, body })).toEqual(done);
    const other = await api.call('POST', outcomePath(taskId), { key: api.keys.operator, body: { outcome: 'reached' } });
    expect(other.status).toBe(409);
    expect(other.body.error.details).toEqual([{ taskId, status: 'completed' }]);

    const status = await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator });
    expect(status.body.timeline.some((e: { event: string }) => e.event.includes(taskId) && e.event.includes('promise_to_pay'))).toBe(true);
    expect(status.body.tasks).toContainEqual(expect.objectContaining({ taskId, status: 'completed', outcome: 'promise_to_pay' }));
    expect(status.body.promisedUntil).toBe(promisedOn);
    // The note and the debtor's details stay in Postgres.
    const history = JSON.stringify(await api.client.workflow.getHandle(workflowId).fetchHistory());
    for (const personal of ['geheim detail 4711', 'Testhuurder', '06-98765432']) expect(history).not.toContain(personal);
  });

  it('records the tenant\'s objection to the early warning in the track, and its note in Postgres', async () => {
    const { caseId, workflowId } = await openCase();
    const objectionPath = `/v1/cases/${caseId}/early-warning-objection`;
    expect((await api.call('POST', objectionPath, { key: api.keys.operator, body: { objectedOn: addDays(today, 1) } })).status).toBe(400);
    const first = await api.call('POST', objectionPath, { key: api.keys.operator, body: { note: 'Wil geen melding; zit al bij schuldhulp 9876' } });
    expect(first).toEqual({ status: 200, body: { recorded: true, signalSent: false } });
    const repeat = await api.call('POST', objectionPath, { key: api.keys.operator, body: { objectedOn: addDays(today, -1) } });
    expect(repeat).toEqual({ status: 200, body: { recorded: false, signalSent: false } });

    const rows = await api.database.db.selectFrom('early_warning_objection').selectAll().where('case_id', '=', caseId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ objected_on: today, note: 'Wil geen melding; zit al bij schuldhulp 9876', recorded_by: personActor('test operator') });
    const status = await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator });
    expect(status.body.earlyWarningObjection).toMatchObject({ on: today });
    const history = JSON.stringify(await api.client.workflow.getHandle(workflowId).fetchHistory());
    expect(history).not.toContain('schuldhulp 9876');
  });
});
