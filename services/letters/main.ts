import { join } from 'node:path';
import { dataDir } from '../../infra/paths.js';
import { loadConfigOrExit } from '../../shared/config.js';
import { runService } from '../http/run-service.js';
import { createLetterService } from './letter-service.js';

await runService({
  name: 'letter service',
  port: (config) => config.LETTERS_PORT,
  secretVariable: 'LETTERS_SERVICE_SECRET',
  app: (db, secret) => createLetterService({ db, outboxDir: join(dataDir, 'outbox', 'letters'), secret, paymentLinkBase: loadConfigOrExit().PAYMENT_LINK_BASE_URL }),
});
