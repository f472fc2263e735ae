import type { Database } from '../db/database.js';
import { AdminInputError, parseAdminArguments, usage } from './arguments.js';

/**
 * What `npm run admin -- <command>` does (cli.ts is its entry): sets up a real installation
 * (corporations, bailiff offices, API keys) in the Postgres at DATABASE_URL, after bringing its
 * schema up to date. Answers the exit code: 0 done, 2 bad input (nothing changed), 1 the database
 * could not be reached or failed. Every failure is one line on stderr; never a stack trace. The
 * environment and the two streams are parameters so a test can run many commands in one process
 * (a child process per command cost about a second each).
 */
export interface AdminIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

class AdminFailure extends Error {}

export async function runAdmin(argv: readonly string[], io: AdminIo): Promise<number> {
  const fail = (code: 1 | 2, message: string): number => {
    io.stderr.write(`admin: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return code;
  };
  return main(argv, io).catch((error: unknown) => {
    if (error instanceof AdminInputError) return fail(2, error.message);
    if (error instanceof AdminFailure) return fail(1, error.message);
    return fail(1, `failed: ${messageOf(error)}`);
  });
}

async function main(argv: readonly string[], io: AdminIo): Promise<number> {
  const command = parseAdminArguments(argv);
  if (command.kind === 'help') {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const url = databaseUrl(io.env.DATABASE_URL);
  // Loaded only now, so bad input is answered without loading the database code and migrations.
  const [{ Kysely, PostgresDialect }, { default: pg }, { migrateToLatest }, { runAdminCommand }] = await Promise.all([
    import('kysely'),
    import('pg'),
    import('../db/migrate.js'),
    import('./commands.js'),
  ]);
  // Our own small pool, with a connect timeout: an unreachable host must not hang the command.
  const pool = new pg.Pool({ connectionString: url.href, max: 1, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {}); // an idle client the server drops; the next query reports it
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db).catch((error: unknown) => {
      throw unreachable(url, error) ?? new AdminFailure(`bringing the schema up to date failed: ${messageOf(error)}`);
    });
    await runAdminCommand(db, command, {
      print: (line) => io.stdout.write(`${line}\n`),
      note: (line) => io.stderr.write(`${line}\n`),
    });
    return 0;
  } catch (error) {
    if (error instanceof AdminFailure || error instanceof AdminInputError) throw error;
    throw unreachable(url, error) ?? error;
  } finally {
    await db.destroy().catch(() => {});
  }
}

function databaseUrl(value: string | undefined): URL {
  const example = 'postgres://user:password@host:5432/database';
  if (!value) throw new AdminInputError(`DATABASE_URL is required: the installation's Postgres, e.g. ${example}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AdminInputError(`DATABASE_URL is not a URL; e.g. ${example}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new AdminInputError(`DATABASE_URL must start with postgres://, e.g. ${example}`);
  return url;
}

/** Connection-level failures (network, authentication, a database that is not there), as one line. */
function unreachable(url: URL, error: unknown): AdminFailure | undefined {
  const cause = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const network = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'];
  // pg's own words for a connect timeout and for a server that went away mid-command
  const timedOut = /timeout|Connection terminated/i.test(messageOf(cause));
  const refusedByServer = typeof code === 'string' && (code.startsWith('28') || code === '3D000'); // authentication, unknown database
  if (!(typeof code === 'string' && network.includes(code)) && !timedOut && !refusedByServer) return undefined;
  const where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
  return new AdminFailure(`cannot reach the database at ${where} (${refusedByServer || timedOut ? messageOf(cause) : code}): check DATABASE_URL and that Postgres runs`);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
