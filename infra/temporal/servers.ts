import { Connection } from '@temporalio/client';
import { status } from '@grpc/grpc-js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { searchAttributeCliFlags, trackSearchAttributes } from '../../shared/search-attributes.js';
import { pipeLines } from '../child-output.js';
import { locateTemporalBinary, sdkExecutable, temporalCli, temporalTestServer } from './binaries.js';

export interface RunningTemporal {
  readonly address: string;
  readonly uiUrl: string | null;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  readonly port: number;
  readonly uiPort: number;
  /** SQLite file that keeps tracks across restarts. */
  readonly dbFile: string;
  readonly namespace: string;
  /** The remote codec the Web UI decodes payloads with (`--ui-codec-endpoint`): the API's /codec. */
  readonly codecEndpoint?: string;
  readonly log: (line: string) => void;
}

async function waitForFrontend(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Temporal server exited with code ${child.exitCode} while starting`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`Temporal server at ${address} did not become ready in ${timeoutMs} ms: ${String(lastError)}`);
}

function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * `temporal server start-dev` with the Web UI, persisting to a SQLite file, with the project's
 * search attributes registered. Without a local binary the SDK's ephemeral server (which
 * downloads the CLI) takes its place.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningTemporal> {
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = `http://localhost:${options.uiPort}`;
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const codecArgs = options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : [];
  const binary = locateTemporalBinary(temporalCli);
  if (!binary) {
    options.log('no local temporal CLI: using the SDK download');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: sdkExecutable(undefined),
        ip: '127.0.0.1',
        port: options.port,
        ui: true,
        uiPort: options.uiPort,
        dbFilename: options.dbFile,
        namespace: options.namespace,
        searchAttributes: [...trackSearchAttributes],
        extraArgs: codecArgs,
      },
    });
    return { address, uiUrl, stop: () => env.teardown() };
  }
  const child = spawn(
    binary,
    [
      'server', 'start-dev',
      '--ip', '127.0.0.1',
      '--port', String(options.port),
      '--ui-port', String(options.uiPort),
      '--db-filename', options.dbFile,
      '--namespace', options.namespace,
      '--log-level', 'warn',
      ...codecArgs,
      ...searchAttributeCliFlags(),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  pipeLines(child, options.log);
  await waitForFrontend(address, child, 60_000);
  return { address, uiUrl, stop: () => stopChild(child) };
}

export interface TestServerOptions {
  readonly port: number;
  readonly namespace?: string;
  readonly log: (line: string) => void;
}

/** The time-skipping test server for SIMULATION=1: no UI, and time moves only when told to. */
export async function startTimeSkippingServer(options: TestServerOptions): Promise<RunningTemporal> {
  const address = `127.0.0.1:${options.port}`;
  const binary = locateTemporalBinary(temporalTestServer);
  if (!binary) {
    options.log('no local temporal-test-server: using the SDK download');
    const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: sdkExecutable(undefined), port: options.port } });
    return { address, uiUrl: null, stop: () => env.teardown() };
  }
  const child = spawn(binary, [String(options.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  pipeLines(child, options.log);
  await waitForFrontend(address, child, 60_000);
  await registerSearchAttributes(address, options.namespace ?? 'default');
  return { address, uiUrl: null, stop: () => stopChild(child) };
}

/** Registers the project's search attributes on a server that does not have them yet. */
export async function registerSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    // The time-skipping test server cannot list search attributes; it can add them.
    const known = await connection.operatorService
      .listSearchAttributes({ namespace })
      .then(({ customAttributes }) => customAttributes ?? {})
      .catch((error: { code?: number }) => {
        if (error.code === status.UNIMPLEMENTED) return {};
        throw error;
      });
    const missing = trackSearchAttributes.filter((key) => !(key.name in known));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!])),
    });
  } finally {
    await connection.close();
  }
}
