import { join } from 'node:path';
import { createDatabase } from '../../infra/db/connection.js';
import { dataDir } from '../../infra/paths.js';
import { loadConfigOrExit } from '../../shared/config.js';
import { closeOnSignal, listen } from '../http/serve.js';
import { createLetterService } from './letter-service.js';

const config = loadConfigOrExit();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is required for the letter service');
  process.exit(2);
}
const db = createDatabase(config.DATABASE_URL);
const server = await listen(createLetterService({ db, outboxDir: join(dataDir, 'outbox', 'letters') }), config.LETTERS_PORT);
console.log(`letter service listening on ${server.url}`);
closeOnSignal(async () => {
  await server.close();
  await db.destroy();
});
