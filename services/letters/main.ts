import { join } from 'node:path';
import { dataDir } from '../../infra/paths.js';
import { loadConfigOrExit } from '../../shared/config.js';
import { runService } from '../http/run-service.js';
import { createLetterService } from './letter-service.js';
import { paymentProviderFromConfig } from '../payment-links/payment-link-service.js';

const config = loadConfigOrExit();
// Links need the provider's key and its webhook secret; without them the API's links answer 503 and letters print none.
const paymentProvider = paymentProviderFromConfig(config);
await runService({
  name: 'letter service',
  port: (config) => config.LETTERS_PORT,
  secretVariable: 'LETTERS_SERVICE_SECRET',
  app: (db, secret) =>
    createLetterService({
      db,
      outboxDir: join(dataDir, 'outbox', 'letters'),
      secret,
      ...(paymentProvider ? { paymentProvider } : {}),
      carriers: {
        mailhouseDir: join(dataDir, 'outbox', 'mailhouse'),
        ...(config.SMTP_URL ? { smtp: { url: config.SMTP_URL, from: config.SMTP_FROM } } : {}),
        ...(config.SMS_GATEWAY_URL && config.SMS_GATEWAY_TOKEN ? { smsGateway: { url: config.SMS_GATEWAY_URL, token: config.SMS_GATEWAY_TOKEN } } : {}),
      },
    }),
});
