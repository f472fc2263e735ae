import { runAdmin } from './run-admin.js';

/**
 * `npm run admin -- <command>`: sets up a real installation (corporations, bailiff offices, API
 * keys) in the Postgres at DATABASE_URL. What each command does, and the exit codes: run-admin.ts.
 */
process.exitCode = await runAdmin(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
