import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { temporal } from '@temporalio/proto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const historiesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'replay', 'histories');

export interface HistorySize {
  readonly workflowId: string;
  readonly events: number;
  readonly bytes: number;
}

/** The latest run's history of a workflow: its event count and encoded size (what the server stores). */
export async function historySize(client: Client, workflowId: string): Promise<HistorySize & { history: temporal.api.history.v1.IHistory }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const bytes = temporal.api.history.v1.History.encode(history).finish().length;
  return { workflowId, events: history.events?.length ?? 0, bytes, history };
}

/**
 * Keeps a real run's history for the replay test (test/replay), which guards determinism: a change
 * to a workflow that running tracks would replay differently fails there, and must go behind
 * `patched()`. Written only when RECORD_HISTORIES=1, so a normal test run changes no files.
 */
export async function recordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const { history } = await historySize(client, workflowId);
  await mkdir(historiesDir, { recursive: true });
  // The workflow id goes with it: child ids and idempotency keys derive from it, so a replay under
  // another id would look nondeterministic.
  await writeFile(join(historiesDir, `${name}.json`), `{"workflowId":${JSON.stringify(workflowId)},"history":${historyToJSON(history as temporal.api.history.v1.History)}}\n`, 'utf8');
}
