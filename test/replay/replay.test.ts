import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDataConverter } from '../support/payload-keys.js';
import { historiesDir } from '../support/histories.js';
import { productWorkflowBundle } from '../support/workflow-bundle.js';

/**
 * Determinism: the committed histories of real runs (a track from claim to eviction, its bailiff
 * phase, an arrangement and its monitor, recorded by the end-to-end tests with RECORD_HISTORIES=1)
 * replay against today's workflow code. A change that would make a running track take another
 * path fails here and belongs behind `patched()`.
 */
describe('replay of recorded histories', async () => {
  const files = (await readdir(historiesDir)).filter((f) => f.endsWith('.json')).sort();

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const recorded = JSON.parse(await readFile(join(historiesDir, file), 'utf8')) as { workflowId: string; history: unknown };
    // With the payload codec, as a worker runs: plain histories pass through it, encrypted ones decrypt.
    await Worker.runReplayHistory({ workflowBundle: productWorkflowBundle(), dataConverter: testDataConverter }, historyFromJSON(recorded.history), recorded.workflowId);
  });
});
