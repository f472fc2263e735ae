import { join } from 'node:path';
import { dataDir } from '../../infra/paths.js';
import { loadConfigOrExit } from '../../shared/config.js';
import { closeOnSignal, listen } from '../http/serve.js';
import { createPaymentProvider } from './provider-app.js';

/** The local payment provider (`npm run payment-provider`; `npm start` runs it on PAYMENT_PROVIDER_PORT). */
const config = loadConfigOrExit();
if (!config.PAYMENT_PROVIDER_API_KEY || !config.PAYMENT_PROVIDER_WEBHOOK_SECRET) {
  console.error('PAYMENT_PROVIDER_API_KEY and PAYMENT_PROVIDER_WEBHOOK_SECRET are required (openssl rand -hex 32 each; npm start makes fresh ones)');
  process.exit(2);
}
const app = createPaymentProvider({
  apiKey: config.PAYMENT_PROVIDER_API_KEY,
  webhookSecret: config.PAYMENT_PROVIDER_WEBHOOK_SECRET,
  publicUrl: config.paymentProviderPublicUrl,
  stateFile: join(dataDir, 'payment-provider.json'),
  log: (line) => console.log(line),
});
// Browsers open its checkout pages: it listens where the API does, not on the services' loopback-only host.
const server = await listen(app, config.PAYMENT_PROVIDER_PORT, '0.0.0.0');
console.log(`payment provider listening on ${server.url}, checkout at ${config.paymentProviderPublicUrl}/checkout/<id>`);
closeOnSignal(() => server.close());
