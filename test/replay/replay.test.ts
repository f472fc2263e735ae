import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../services/worker/create-worker.js';
import { historiesDir } from '../support/histories.js';

/**
 * Determinism: the committed histories of real runs (a track from claim to eviction, its bailiff
 * phase, an arrangement and its monitor, recorded by the end-to-end tests with RECORD_HISTORIES=1)
 * replay against today's workflow code. A change that would make a running track take another
 * path fails here and belongs behind `patched()`.
 */
describe('replay of recorded histories', async () => {
  const files = (await readdir(historiesDir)).filter((f) => f.endsWith('.json')).sort();
  let bundle: ReturnType<typeof bundleWorkflowCode> | undefined;
  const workflowBundle = () => (bundle ??= bundleWorkflowCode({ workflowsPath, logger: { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} } as never }));

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const recorded = JSON.parse(await readFile(join(historiesDir, file), 'utf8')) as { workflowId: string; history: unknown };
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, historyFromJSON(recorded.history), recorded.workflowId);
  });
});
