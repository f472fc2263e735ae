import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const dataDir = process.env.HUURINCASSO_DATA_DIR ?? join(projectRoot, 'data');

/**
 * Under root the embedded Postgres runs as the `postgres` user, which may not be able to enter the
 * clone (a clone under /root, or in a `mktemp -d` folder). Its binaries and cluster then live here.
 */
export const sharedDir = process.env.HUURINCASSO_SHARED_DIR ?? '/var/lib/huurincasso';
