import { createDatabase } from '../../infra/db/connection.js';
import { loadConfigOrExit } from '../../shared/config.js';
import { closeOnSignal, listen } from '../http/serve.js';
import { createBankService } from './bank-service.js';

const config = loadConfigOrExit();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is required for the bank service');
  process.exit(2);
}
const db = createDatabase(config.DATABASE_URL);
const server = await listen(createBankService({ db }), config.BANK_PORT);
console.log(`bank service listening on ${server.url}`);
closeOnSignal(async () => {
  await server.close();
  await db.destroy();
});
