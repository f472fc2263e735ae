import { join } from 'node:path';
import { createDatabase } from '../../infra/db/connection.js';
import { dataDir } from '../../infra/paths.js';
import { loadConfigOrExit } from '../../shared/config.js';
import { closeOnSignal, listen } from '../http/serve.js';
import { createMunicipalityService } from './municipality-service.js';

const config = loadConfigOrExit();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is required for the municipality service');
  process.exit(2);
}
const db = createDatabase(config.DATABASE_URL);
const server = await listen(createMunicipalityService({ db, outboxDir: join(dataDir, 'outbox', 'municipality') }), config.MUNICIPALITY_PORT);
console.log(`municipality service listening on ${server.url}`);
closeOnSignal(async () => {
  await server.close();
  await db.destroy();
});
