import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { corporationExists } from '../../infra/db/corporation-store.js';
import type { Database } from '../../infra/db/database.js';
import { idPartPattern } from '../../shared/track/workflow-id.js';
import { HttpError } from './errors.js';

/**
 * A drop folder: another system's file channel (SFTP, EBICS, a bank's connector, a billing
 * export) delivers each corporation's files into `<root>/<corporationId>/`. Each file is taken
 * once through the same code as its API call, then moved to `processed/` (beside it
 * `<name><resultSuffix>`, the call's answer) or to `failed/` with `<name>.reason.txt` saying why.
 * The bank's statements (services/bank/inbox/) and billing's cases (services/billing-inbox/)
 * come in this way; a folder is the other door of a service, as its HTTP routes are one.
 *
 * A file still being written is never read: the channel writes `<name>.part` / `.tmp` (or a
 * dot-name) and renames it when done, and in case a channel writes in place, a file is only taken
 * once it has not changed for `quietMs`. A file is claimed by renaming it into `processing/`, so
 * two watchers never take the same file at once. The folder is polled, not watched: fs.watch
 * misses events on network and container volumes, and these channels deliver a few files a day.
 *
 * The handler answers the result, or throws: an HttpError below 500 is the file's fault (to
 * failed/ at once), anything else passes (the engine or the database away): the file goes back
 * for the next pass, up to `maxAttempts`, so a handler must be safe to repeat.
 */
export interface DropFolderOptions<Answer> {
  readonly db: Kysely<Database>;
  /** e.g. `data/inbox/bank` under HUURINCASSO_DATA_DIR. */
  readonly root: string;
  /** The largest file taken (an upload's bound). */
  readonly maxFileBytes: number;
  /** Written beside a processed file: `<name><resultSuffix>` (`.import.json`). */
  readonly resultSuffix: string;
  /** Takes one whole file of a configured corporation, as UTF-8 text. */
  readonly handle: (file: { readonly corporationId: string; readonly name: string; readonly text: string }) => Promise<Answer>;
  /** The code of a file that is not UTF-8 text (the bank's: invalid_statement, as an upload answers). */
  readonly invalidCode?: string;
  /** The log line of a processed file. */
  readonly summary: (answer: Answer) => string;
  /** How long a file must have stood unchanged before it is read. */
  readonly quietMs?: number;
  readonly intervalMs?: number;
  /** Tries for a file that failed for a passing reason (the engine away) before it goes to failed/. */
  readonly maxAttempts?: number;
  readonly log?: (line: string) => void;
}

export type DropOutcome<Answer> =
  | { readonly file: string; readonly corporationId: string; readonly outcome: 'processed'; readonly answer: Answer }
  | { readonly file: string; readonly corporationId: string; readonly outcome: 'failed'; readonly reason: string }
  | { readonly file: string; readonly corporationId: string; readonly outcome: 'retry'; readonly reason: string };

const folders = new Set(['processing', 'processed', 'failed']);
/** Names a channel writes under until the file is whole. */
const unfinished = (name: string) => name.startsWith('.') || /\.(part|partial|tmp|filepart)$/i.test(name);

export class DropFolder<Answer> {
  private readonly quietMs: number;
  private readonly intervalMs: number;
  private readonly maxAttempts: number;
  private readonly log: (line: string) => void;
  private readonly attempts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: DropFolderOptions<Answer>) {
    this.quietMs = options.quietMs ?? 2_000;
    this.intervalMs = options.intervalMs ?? 2_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.log = options.log ?? (() => {});
  }

  /** Puts back what a stopped watcher left in processing/, then scans every interval. */
  async start(): Promise<void> {
    await mkdir(this.options.root, { recursive: true });
    for (const corporationId of await this.corporationFolders()) {
      const processing = join(this.options.root, corporationId, 'processing');
      for (const name of await filesIn(processing)) await this.putBack(corporationId, name).catch(() => {});
    }
    const tick = () => {
      if (this.stopped) return;
      this.scanning = this.scanOnce()
        .catch((error) => this.log(`scan failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scanning;
  }

  /** One pass over every corporation's folder: each whole file taken and moved. */
  async scanOnce(): Promise<DropOutcome<Answer>[]> {
    const outcomes: DropOutcome<Answer>[] = [];
    for (const corporationId of await this.corporationFolders()) {
      const folder = join(this.options.root, corporationId);
      for (const name of await filesIn(folder)) {
        if (unfinished(name)) continue;
        const info = await stat(join(folder, name)).catch(() => null);
        if (!info?.isFile() || Date.now() - info.mtimeMs < this.quietMs) continue;
        const outcome = await this.take(corporationId, name, info.size);
        if (outcome) outcomes.push(outcome);
      }
    }
    return outcomes;
  }

  private async corporationFolders(): Promise<string[]> {
    const entries = await readdir(this.options.root, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && idPartPattern.test(e.name)).map((e) => e.name).sort();
  }

  private async take(corporationId: string, name: string, size: number): Promise<DropOutcome<Answer> | null> {
    const folder = join(this.options.root, corporationId);
    const processing = join(folder, 'processing', name);
    await mkdir(join(folder, 'processing'), { recursive: true });
    try {
      await rename(join(folder, name), processing);
    } catch {
      return null; // another watcher took it
    }
    const fail = (reason: string) => this.settle(corporationId, name, { failed: reason });
    const { maxFileBytes } = this.options;
    if (size > maxFileBytes) return fail(`413 payload_too_large: the file is ${size} bytes, more than ${maxFileBytes}`);
    if (!(await corporationExists(this.options.db, corporationId))) return fail(`404 not_found: no corporation ${corporationId} (the folder's name)`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(processing));
    } catch {
      return fail(`400 ${this.options.invalidCode ?? 'invalid_request'}: the file is not UTF-8 text`);
    }
    const key = `${corporationId}/${name}`;
    try {
      const answer = await this.options.handle({ corporationId, name, text });
      this.attempts.delete(key);
      return await this.settle(corporationId, name, { answer });
    } catch (error) {
      if (error instanceof HttpError && error.status < 500) {
        const details = error.details.length > 0 ? `\n${JSON.stringify(error.details)}` : '';
        return fail(`${error.status} ${error.code}: ${error.message}${details}`);
      }
      // The engine or the database away: the handler is safe to repeat, so the file goes back for the next pass.
      const attempt = (this.attempts.get(key) ?? 0) + 1;
      const reason = error instanceof Error ? error.message : String(error);
      if (attempt >= this.maxAttempts) {
        this.attempts.delete(key);
        return fail(`gave up after ${attempt} tries: ${reason}`);
      }
      this.attempts.set(key, attempt);
      await this.putBack(corporationId, name);
      this.log(`${key}: try ${attempt} of ${this.maxAttempts} failed, again next pass: ${reason}`);
      return { file: name, corporationId, outcome: 'retry', reason };
    }
  }

  /** Back from processing/ into the inbox, beside (never over) a file of that name delivered meanwhile. */
  private async putBack(corporationId: string, name: string): Promise<void> {
    const folder = join(this.options.root, corporationId);
    await rename(join(folder, 'processing', name), join(folder, await freeName(folder, name)));
  }

  private async settle(corporationId: string, name: string, result: { answer: Answer } | { failed: string }): Promise<DropOutcome<Answer>> {
    const to = 'failed' in result ? 'failed' : 'processed';
    const folder = join(this.options.root, corporationId);
    await mkdir(join(folder, to), { recursive: true });
    const target = await freeName(join(folder, to), name);
    await rename(join(folder, 'processing', name), join(folder, to, target));
    if ('failed' in result) {
      await writeFile(join(folder, to, `${target}.reason.txt`), `${result.failed}\n`);
      this.log(`${corporationId}/${name}: failed: ${result.failed.split('\n')[0]}`);
      return { file: target, corporationId, outcome: 'failed', reason: result.failed };
    }
    await writeFile(join(folder, to, `${target}${this.options.resultSuffix}`), `${JSON.stringify(result.answer, null, 2)}\n`);
    this.log(`${corporationId}/${name}: ${this.options.summary(result.answer)}`);
    return { file: target, corporationId, outcome: 'processed', answer: result.answer };
  }
}

async function filesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && !folders.has(e.name)).map((e) => e.name).sort();
}

/** The name itself, or with `.2`, `.3`… when a file of that name was settled before (the sender resent it). */
async function freeName(folder: string, name: string): Promise<string> {
  const taken = new Set(await readdir(folder).catch(() => []));
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) if (!taken.has(`${name}.${n}`)) return `${name}.${n}`;
}
