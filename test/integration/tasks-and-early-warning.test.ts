import { ApplicationFailure } from '@temporalio/common';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEarlyWarningActivities } from '../../activities/early-warning.js';
import { createTaskActivities } from '../../activities/tasks.js';
import { upsertCorporation } from '../../infra/db/corporation-store.js';
import { recordCase } from '../../services/api/routes/cases.js';
import type { OpenTaskRequest } from '../../shared/track/task-messages.js';
import { startServices, type RunningServices } from '../support/services.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

let database: TestDatabase;
let services: RunningServices;
let tasks: ReturnType<typeof createTaskActivities>;
let earlyWarning: ReturnType<typeof createEarlyWarningActivities>;
let caseId: string;
let workflowId: string;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'));
  await upsertCorporation(database.db, 'test-corp', { name: 'Testcorporatie', vatSurcharge: false });
  services = await startServices(database.db);
  tasks = createTaskActivities(database.db);
  earlyWarning = createEarlyWarningActivities(database.db, services.municipality);
  const request = caseRequest({ claims: [rentClaim('R-2026-09', '812.50', '2026-09-01')] });
  ({ caseId, workflowId } = await recordCase(database.db, { ...request, debtor: { ...request.debtor, phone: '06-12345678' } }));
});
afterAll(async () => {
  await services?.close();
  await database?.drop();
});

const taskRequest = (cycle: number, overrides: Partial<OpenTaskRequest> = {}): OpenTaskRequest => ({
  taskId: `${workflowId}/call/${cycle}`,
  caseId,
  corporationId: 'test-corp',
  kind: 'call',
  openedOn: '2026-10-16',
  expiresOn: '2026-10-23',
  arrears: '812.50',
  ...overrides,
});

const taskRow = (taskId: string) => database.db.selectFrom('task').selectAll().where('task_id', '=', taskId).executeTakeFirstOrThrow();

describe('task activities (Postgres)', () => {
  it('openTask puts a task on the worklist once; a repeat answers the stored task unchanged', async () => {
    const first = await tasks.openTask(taskRequest(1));
    expect(first).toEqual({ taskId: `${workflowId}/call/1`, caseId, kind: 'call', status: 'open', openedOn: '2026-10-16', expiresOn: '2026-10-23', arrears: '812.50', outcome: null });
    const again = await tasks.openTask(taskRequest(1, { openedOn: '2026-10-17', expiresOn: '2026-10-30', arrears: '900.00' }));
    expect(again).toEqual(first);
    const rows = await database.db.selectFrom('task').selectAll().where('case_id', '=', caseId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ corporation_id: 'test-corp', status: 'open', arrears: '812.50', expires_on: '2026-10-23', note: null, completed_by: null });
  });

  it('closeTask ends an open task once and answers its final status', async () => {
    const { taskId } = await tasks.openTask(taskRequest(2));
    expect(await tasks.closeTask({ taskId, status: 'expired', closedOn: '2026-10-23' })).toEqual({ taskId, status: 'expired' });
    // A retry, or a later cancel, changes nothing.
    expect(await tasks.closeTask({ taskId, status: 'expired', closedOn: '2026-10-24' })).toEqual({ taskId, status: 'expired' });
    expect(await tasks.closeTask({ taskId, status: 'cancelled', closedOn: '2026-10-25' })).toEqual({ taskId, status: 'expired' });
    expect(await taskRow(taskId)).toMatchObject({ status: 'expired', closed_on: '2026-10-23' });
    // openTask on an ended task does not reopen it.
    expect((await tasks.openTask(taskRequest(2))).status).toBe('expired');
  });

  it('closeTask leaves an outcome a person recorded first', async () => {
    const { taskId } = await tasks.openTask(taskRequest(3, { kind: 'visit', taskId: `${workflowId}/visit/3` }));
    await database.db.updateTable('task').set({ status: 'completed', outcome: 'reached', completed_by: 'operator:test', completed_at: new Date() }).where('task_id', '=', taskId).execute();
    expect(await tasks.closeTask({ taskId, status: 'cancelled', closedOn: '2026-10-25' })).toEqual({ taskId, status: 'completed' });
    expect(await taskRow(taskId)).toMatchObject({ status: 'completed', outcome: 'reached', closed_on: null });
  });

  it('closeTask of a task that was never opened fails for good', async () => {
    const error = await tasks.closeTask({ taskId: 'no-such-task', status: 'expired', closedOn: '2026-10-25' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).nonRetryable).toBe(true);
    expect((error as ApplicationFailure).type).toBe('UnknownTask');
  });
});

describe('sendEarlyWarning (municipality service over HTTP, Postgres)', () => {
  const signalFiles = () => {
    const dir = join(services.outboxDir, 'municipality');
    try {
      return readdirSync(dir).map((f) => join(dir, f));
    } catch {
      return [];
    }
  };
  const lines = () => signalFiles().flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean));

  it('signals once, whatever the retries, and keeps the evidence', async () => {
    const request = {
      idempotencyKey: `${workflowId}/early-warning`,
      caseId,
      corporationId: 'test-corp',
      municipalityCode: 'GM0344',
      arrears: '812.50',
      inDefaultSince: '2026-09-02',
      signalDate: '2026-11-01',
      evidence: { reminderLetterIds: ['letter-1', 'letter-2'], contactTaskIds: [`${workflowId}/call/1`] },
    };
    const receipt = await earlyWarning.sendEarlyWarning(request);
    expect(receipt).toEqual({ signalId: expect.any(String), receipt: expect.stringMatching(/^SIG-/), sentOn: '2026-11-01' });
    expect(await earlyWarning.sendEarlyWarning(request)).toEqual(receipt);
    // Even with the evidence row gone (a crash between the service's answer and our insert), the
    // service answers the first signal and nothing goes out twice.
    await database.db.deleteFrom('early_warning_signal').where('idempotency_key', '=', request.idempotencyKey).execute();
    expect(await earlyWarning.sendEarlyWarning(request)).toEqual(receipt);

    const sent = lines();
    expect(sent).toHaveLength(1);
    expect(signalFiles().map((f) => f.endsWith('signals-2026-11-01.csv'))).toEqual([true]);
    const fields = sent[0]!.split(';').map((f) => JSON.parse(f) as string);
    expect(fields[0]).toBe(receipt.receipt);
    expect(fields[1]).toBe('early_warning');
    expect(fields).toContain('T. Testhuurder');
    expect(fields).toContain('06-12345678');
    expect(fields).toContain('812.50');
    expect(fields.at(-1)).toBe('GM0344');

    const evidence = await database.db.selectFrom('early_warning_signal').selectAll().where('case_id', '=', caseId).execute();
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({
      signal_id: receipt.signalId,
      idempotency_key: request.idempotencyKey,
      corporation_id: 'test-corp',
      municipality_code: 'GM0344',
      arrears: '812.50',
      in_default_since: '2026-09-02',
      signal_date: '2026-11-01',
      reminder_letter_ids: ['letter-1', 'letter-2'],
      contact_task_ids: [`${workflowId}/call/1`],
      receipt: receipt.receipt,
    });
    expect(evidence[0]!.sent_at).toBeInstanceOf(Date);
    const platform = await database.db.selectFrom('municipality_signal').selectAll().where('case_id', '=', caseId).execute();
    expect(platform).toMatchObject([{ signal_id: receipt.signalId, kind: 'early_warning', arrears: '812.50' }]);
  });

  it('sends no municipality code when the track has none, and refuses a case without a debtor for good', async () => {
    const other = await recordCase(database.db, caseRequest({ claims: [rentClaim('R-2026-09', '400.00', '2026-09-01')] }));
    const receipt = await earlyWarning.sendEarlyWarning({
      idempotencyKey: `${other.workflowId}/early-warning`,
      caseId: other.caseId,
      corporationId: 'test-corp',
      municipalityCode: null,
      arrears: '400.00',
      inDefaultSince: '2026-09-02',
      signalDate: '2026-11-02',
      evidence: { reminderLetterIds: [], contactTaskIds: [] },
    });
    const line = lines().find((l) => l.startsWith(`"${receipt.receipt}"`))!;
    expect(line.endsWith(';""')).toBe(true);
    expect(await database.db.selectFrom('early_warning_signal').select(['municipality_code', 'contact_task_ids']).where('case_id', '=', other.caseId).executeTakeFirstOrThrow()).toEqual({
      municipality_code: null,
      contact_task_ids: [],
    });

    await database.db.deleteFrom('debtor').where('case_id', '=', other.caseId).execute();
    const refused = await earlyWarning
      .sendEarlyWarning({
        idempotencyKey: `${other.workflowId}/early-warning/2`,
        caseId: other.caseId,
        corporationId: 'test-corp',
        municipalityCode: null,
        arrears: '400.00',
        inDefaultSince: '2026-09-02',
        signalDate: '2026-11-03',
        evidence: { reminderLetterIds: [], contactTaskIds: [] },
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect((refused as ApplicationFailure).nonRetryable).toBe(true);
    expect(await database.db.selectFrom('early_warning_signal').select('signal_id').where('idempotency_key', '=', `${other.workflowId}/early-warning/2`).execute()).toEqual([]);
  });
});
