import { runService } from '../http/run-service.js';
import { createBankService } from './bank-service.js';

await runService({
  name: 'bank service',
  port: (config) => config.BANK_PORT,
  secretVariable: 'BANK_SERVICE_SECRET',
  app: (db, secret) => createBankService({ db, secret }),
});
