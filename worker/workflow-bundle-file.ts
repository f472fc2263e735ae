import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundleOptions } from './create-worker.js';

const quiet = { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} };

/** The product's workflow code bundled as the production worker bundles it (4–10 s of webpack here). */
export async function productWorkflowCode(): Promise<string> {
  return (await bundleWorkflowCode({ ...workflowBundleOptions, logger: quiet as never })).code;
}

/**
 * The bundle written to `dir` for processes and test forks to load (`{ codePath }`, or the
 * worker's WORKFLOW_BUNDLE), so a run that starts many workers bundles once. The file is named by
 * this process; files of processes that died before removing theirs go first.
 */
export async function writeWorkflowBundleFile(dir: string): Promise<string> {
  const code = await productWorkflowCode();
  mkdirSync(dir, { recursive: true });
  const bundleOfProcess = /^workflow-bundle-(\d+)\.js$/;
  for (const name of readdirSync(dir)) {
    const pid = name.match(bundleOfProcess)?.[1];
    if (pid && !alive(Number(pid))) rmSync(join(dir, name), { force: true });
  }
  const file = join(dir, `workflow-bundle-${process.pid}.js`);
  writeFileSync(file, code);
  return file;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
