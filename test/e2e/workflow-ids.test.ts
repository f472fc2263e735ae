import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { bailiffPhaseWorkflowId } from '../../shared/track/bailiff-messages.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { caseRequest, ensureTestCorporation, rentClaim } from '../support/tracks.js';

let api: ApiHarness;
const today = amsterdamDate(Date.now());
// The dev server outlives this file's database: a corporation id of this run's own keeps ids fresh.
const acme = `acme${Date.now().toString(36)}`;

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  for (const corporationId of [acme, `${acme}-x`]) {
    await ensureTestCorporation(api.database.db, { corporationId });
    await api.grant(corporationId);
  }
});
afterAll(async () => {
  await api?.close();
});

const open = (corporationId: string, contractRef: string) =>
  api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ corporationId, contractRef, claims: [rentClaim('R-1', '500.00', addDays(today, -10))] }) });

describe('workflow ids through POST /v1/cases', () => {
  it('opens acme + x-1 and acme-x + 1 as two tracks with ids of their own', async () => {
    const first = await open(acme, 'x-1');
    const second = await open(`${acme}-x`, '1');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(first.body.workflowId).not.toBe(second.body.workflowId);
    expect(first.body.caseId).not.toBe(second.body.caseId);
    for (const { workflowId } of [first.body, second.body]) {
      expect((await api.client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
    }
    for (const { caseId } of [first.body, second.body]) expect((await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).status).toBe(200);
  });

  it('keeps a contract reference ending in -bailiff apart from the bailiff phase of another contract', async () => {
    const plain = await open(acme, 'y');
    const suffixed = await open(acme, 'y-bailiff');
    expect(plain.status).toBe(201);
    expect(suffixed.status).toBe(201);
    expect(suffixed.body.workflowId).not.toBe(bailiffPhaseWorkflowId(plain.body.workflowId));
    expect(suffixed.body.workflowId).not.toBe(plain.body.workflowId);
  });

  it('keeps the id a case was recorded with: a repeat POST on a contract of the old id format reaches its track', async () => {
    const contractRef = `OLD-${Date.now().toString(36)}`;
    const legacyId = `track-${acme}-${contractRef}`;
    const first = await open(acme, contractRef);
    expect(first.status).toBe(201);
    // As if the case had been opened before the id format changed.
    await api.client.workflow.getHandle(first.body.workflowId).terminate('test: replaced by a track under the old id');
    await api.database.db.updateTable('collection_case').set({ workflow_id: legacyId }).where('case_id', '=', first.body.caseId).execute();

    const repeat = await open(acme, contractRef);
    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual({ caseId: first.body.caseId, workflowId: legacyId });
    expect((await api.client.workflow.getHandle(legacyId).describe()).status.name).toBe('RUNNING');
    expect((await api.call('GET', `/v1/cases/${first.body.caseId}`, { key: api.keys.operator })).status).toBe(200);
  });
});
