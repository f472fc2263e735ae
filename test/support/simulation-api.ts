import { TestWorkflowEnvironment } from '@temporalio/testing';
import { locateTemporalBinary, sdkExecutable, temporalTestServer } from '../../infra/temporal/binaries.js';
import { registerSearchAttributes } from '../../infra/temporal/servers.js';
import { startApi, type ApiHarness } from './api-harness.js';

export interface SimulationApi extends ApiHarness {
  today(): Promise<string>;
  advance(days: number): Promise<string>;
  /** Polls a case until `done` holds (a message's effects land a moment after its answer). */
  caseWhen(caseId: string, done: (body: any) => boolean): Promise<any>;
  /** Advances the clock a day at a time until `done` holds; returns the case then. */
  advanceUntil(caseId: string, done: (body: any) => boolean, maxDays?: number): Promise<any>;
}

/** The API in simulation mode on a time-skipping server of its own, driven through HTTP. */
export async function startSimulationApi(databaseAdminUrl: string): Promise<SimulationApi & { env: TestWorkflowEnvironment }> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: sdkExecutable(locateTemporalBinary(temporalTestServer)) } });
  await registerSearchAttributes(env.address, 'default');
  const api = await startApi({ databaseAdminUrl, temporal: { connection: env.connection, nativeConnection: env.nativeConnection }, simulation: true });
  const advance = async (days: number) => {
    const response = await api.call('POST', '/v1/simulation/advance', { body: { days } });
    if (response.status !== 200) throw new Error(`advance failed: ${JSON.stringify(response.body)}`);
    return response.body.today as string;
  };
  return {
    ...api,
    env,
    async close() {
      await api.close();
      await env.teardown();
    },
    async today() {
      return (await api.call('GET', '/v1/simulation/now')).body.today;
    },
    advance,
    async caseWhen(caseId: string, done: (body: any) => boolean) {
      let body: any;
      for (let i = 0; i < 150; i++) {
        body = (await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).body;
        if (done(body)) return body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`case ${caseId} never reached the expected state; last seen: ${JSON.stringify({ stage: body?.stage, nextDeadline: body?.nextDeadline, timeline: body?.timeline?.slice(-5) })}`);
    },
    async advanceUntil(caseId: string, done: (body: any) => boolean, maxDays = 60) {
      for (let day = 0; day < maxDays; day++) {
        const body = (await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).body;
        if (done(body)) return body;
        await advance(1);
      }
      throw new Error(`case ${caseId} did not reach the expected state within ${maxDays} days`);
    },
  };
}
