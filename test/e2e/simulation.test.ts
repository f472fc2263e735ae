import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { locateTemporalBinary, sdkExecutable, temporalTestServer } from '../../infra/temporal/binaries.js';
import { registerSearchAttributes } from '../../infra/temporal/servers.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { collectionCosts } from '../../shared/legal/collection-costs.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

let env: TestWorkflowEnvironment;
let api: ApiHarness;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: sdkExecutable(locateTemporalBinary(temporalTestServer)) } });
  await registerSearchAttributes(env.address, 'default');
  api = await startApi({
    databaseAdminUrl: inject('databaseAdminUrl'),
    temporal: { connection: env.connection, nativeConnection: env.nativeConnection },
    simulation: true,
  });
});
afterAll(async () => {
  await api?.close();
  await env?.teardown();
});

describe('SIMULATION=1: the whole track through HTTP on the time-skipping server', () => {
  it('takes a claim from the reminder through the WIK term to awaiting hand-over as the clock is advanced', async () => {
    const { today } = (await api.call('GET', '/v1/simulation/now')).body;
    const request = caseRequest({ claims: [rentClaim('R-1', '812.50', addDays(today, -1))] });
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: request });
    expect(created.status).toBe(201);
    const caseId = created.body.caseId;
    const read = async () => (await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).body;

    // The track sets itself up (settings, payment reference) right after the start.
    let opened = await read();
    for (let i = 0; i < 100 && !opened.nextDeadline; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      opened = await read();
    }
    expect(opened.nextDeadline).toEqual({ kind: 'reminder_1', date: addDays(today, 5) });
    expect((await api.call('POST', '/v1/simulation/advance', { key: api.keys.operator, body: { days: 5 } })).status).toBe(403);
    expect((await api.call('POST', '/v1/simulation/advance', { body: { days: 0 } })).status).toBe(400);

    const afterFive = await api.call('POST', '/v1/simulation/advance', { body: { days: 5 } });
    expect(afterFive.body.today).toBe(addDays(today, 5));
    expect((await read()).letters).toMatchObject([{ kind: 'reminder', date: addDays(today, 5) }]);

    await api.call('POST', '/v1/simulation/advance', { body: { days: 14 } });
    const withWik = await read();
    expect(withWik.stage).toBe('wik_letter');
    const wik = withWik.letters.find((l: { kind: string }) => l.kind === 'wik');
    expect(wik).toMatchObject({ date: addDays(today, 19), collectionCosts: collectionCosts({ principal: '812.50', vatSurcharge: false }).collectionCosts });

    await api.call('POST', '/v1/simulation/advance', { body: { days: 25 } });
    const handedOver = await read();
    expect(handedOver).toMatchObject({ stage: 'awaiting_handover', balance: { principal: '812.50', collectionCosts: '121.88', vat: '0.00' } });
    const { now, today: later } = (await api.call('GET', '/v1/simulation/now')).body;
    expect(later).toBe(addDays(today, 44));
    expect(Date.parse(now)).toBeGreaterThan(Date.parse(`${later}T00:00:00Z`) - 86_400_000);
  });
});
