import { loadConfigOrExit } from '../../shared/config.js';
import { createDatabase } from './connection.js';
import { migrateToLatest } from './migrate.js';

/** `npm run migrate`: brings DATABASE_URL's schema up to date (a one-shot job on a cluster). */
const config = loadConfigOrExit();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
const db = createDatabase(config.DATABASE_URL, { max: 1 });
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'schema is up to date');
} finally {
  await db.destroy();
}
