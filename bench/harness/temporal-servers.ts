import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../infra/free-port.js';
import { dataDir } from '../../infra/paths.js';
import { locateTemporalBinary, sdkExecutable, temporalTestServer } from '../../infra/temporal/binaries.js';
import { registerSearchAttributes, startDevServer } from '../../infra/temporal/servers.js';
import { runWide } from './run-wide.js';

/** Where a real-time stack's workflows run: the server's address and a namespace of the stack's own. */
export interface BenchEngine {
  readonly address: string;
  readonly namespace: string;
}

/**
 * A namespace of the stack's own on the run's one dev server (or `TEMPORAL_ADDRESS` with
 * `TEMPORAL_NAMESPACE`, as before). Its own namespace, not only its own task queue: the sections
 * open tracks with the same contract refs (so the same workflow ids), and intake's
 * update-with-start would otherwise attach to an earlier section's track instead of opening one.
 */
export async function realTimeEngine(name: string): Promise<BenchEngine> {
  if (process.env.TEMPORAL_ADDRESS) return { address: process.env.TEMPORAL_ADDRESS, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' };
  const address = await runWide('Temporal dev server', async () => {
    const dbFile = join(dataDir, 'bench', `temporal-${process.pid}.sqlite`);
    const server = await startDevServer({ port: await freePort(), uiPort: await freePort(), dbFile, namespace: 'default', log: () => {} });
    return {
      value: server.address,
      async stop() {
        await server.stop();
        for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
      },
    };
  });
  const namespace = `bench-${name.replace(/[^\w-]/g, '-')}-${Date.now().toString(36)}`;
  await registerNamespace(address, namespace);
  return { address, namespace };
}

async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    await registerSearchAttributes(address, namespace);
  } finally {
    await connection.close();
  }
}

/**
 * The time-skipping test server as SIMULATION=1 runs it, with the project's search attributes: one
 * per simulated run (time is the server's, so two runs cannot share one).
 */
export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const executable = sdkExecutable(locateTemporalBinary(temporalTestServer));
  // The SDK gives the server 5 s to come up; a loaded 2-core machine misses that now and then.
  for (let attempt = 1; ; attempt++) {
    let env: TestWorkflowEnvironment | undefined;
    try {
      env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
      await registerSearchAttributes(env.address, 'default');
      return env;
    } catch (error) {
      await env?.teardown().catch(() => {});
      if (attempt >= 3) throw error;
    }
  }
}
