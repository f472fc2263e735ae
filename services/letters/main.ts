import { join } from 'node:path';
import { PaymentProviderClient } from '../../shared/payment-provider/provider-client.js';
import { dataDir } from '../../infra/paths.js';
import { loadConfigOrExit } from '../../shared/config.js';
import { runService } from '../http/run-service.js';
import { createLetterService } from './letter-service.js';

const config = loadConfigOrExit();
await runService({
  name: 'letter service',
  port: (config) => config.LETTERS_PORT,
  secretVariable: 'LETTERS_SERVICE_SECRET',
  app: (db, secret) =>
    createLetterService({
      db,
      outboxDir: join(dataDir, 'outbox', 'letters'),
      secret,
      // Links printed on letters come from the payment provider (the API's keys); without one, no link is printed.
      ...(config.PAYMENT_PROVIDER_API_KEY && config.PAYMENT_PROVIDER_WEBHOOK_SECRET
        ? {
            paymentProvider: {
              client: new PaymentProviderClient({ url: config.paymentProviderUrl, apiKey: config.PAYMENT_PROVIDER_API_KEY }),
              webhookSecret: config.PAYMENT_PROVIDER_WEBHOOK_SECRET,
              webhookUrl: () => config.paymentWebhookUrl,
            },
          }
        : {}),
      carriers: {
        mailhouseDir: join(dataDir, 'outbox', 'mailhouse'),
        ...(config.SMTP_URL ? { smtp: { url: config.SMTP_URL, from: config.SMTP_FROM } } : {}),
        ...(config.SMS_GATEWAY_URL && config.SMS_GATEWAY_TOKEN ? { smsGateway: { url: config.SMS_GATEWAY_URL, token: config.SMS_GATEWAY_TOKEN } } : {}),
      },
    }),
});
