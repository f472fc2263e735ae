import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const dataDir = process.env.HUURINCASSO_DATA_DIR ?? join(projectRoot, 'data');
