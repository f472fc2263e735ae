import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceEndpoint } from '../activities/service-client.js';
import type { Database } from '../infra/db/database.js';
import { createBankService } from '../services/bank/bank-service.js';
import { listen, type ListeningServer } from '../services/http/serve.js';
import { createLetterService } from '../services/letters/letter-service.js';
import { createMunicipalityService } from '../services/municipality/municipality-service.js';
import { startLocalSmsGateway } from '../services/outside-parties/local-sms-gateway.js';
import { startLocalSmtpServer } from '../services/outside-parties/local-smtp-server.js';

/** The service endpoints (with their credentials) and the drop folders a worker needs, for these running services. */
export function workerServiceOptions(services: RunningServices) {
  return {
    letters: services.letters,
    bank: services.bank,
    municipality: services.municipality,
    bailiffOutboxDir: join(services.outboxDir, 'bailiff'),
  };
}

export interface RunningServices {
  /** Each service's address and the secret it asks of callers (fresh for every start). */
  readonly letters: ServiceEndpoint;
  readonly bank: ServiceEndpoint;
  readonly municipality: ServiceEndpoint;
  readonly lettersUrl: string;
  readonly bankUrl: string;
  readonly municipalityUrl: string;
  /** Where the print house and the municipality platform pick up what we send. */
  readonly outboxDir: string;
  /** The carriers' local stand-ins: the SMTP server's .eml folder, the SMS gateway's JSON-lines file, the mail house's batches. */
  readonly carriers: { readonly mailDir: string; readonly smsFile: string; readonly mailhouseDir: string };
  close(): Promise<void>;
}

const newSecret = () => randomBytes(32).toString('base64url');

/** The letter, bank and municipality services on real HTTP ports with their local carriers (SMTP, SMS gateway, mail house folder) in this process: for tests, benchmarks and drills. */
export async function startServices(db: Kysely<Database>): Promise<RunningServices> {
  const outboxDir = mkdtempSync(join(tmpdir(), 'huurincasso-outbox-'));
  const secrets = { letters: newSecret(), bank: newSecret(), municipality: newSecret() };
  const smtp = await startLocalSmtpServer({ dir: join(outboxDir, 'mail') });
  const sms = await startLocalSmsGateway({ dir: join(outboxDir, 'sms') });
  const carriers = { mailhouseDir: join(outboxDir, 'mailhouse'), smtp: { url: smtp.url, from: 'incasso@test.local' }, smsGateway: { url: sms.url, token: sms.token } };
  const servers: ListeningServer[] = await Promise.all([
    listen(createLetterService({ db, outboxDir: join(outboxDir, 'letters'), secret: secrets.letters, carriers }), 0),
    listen(createBankService({ db, secret: secrets.bank, outboxDir: join(outboxDir, 'bank') }), 0),
    listen(createMunicipalityService({ db, outboxDir: join(outboxDir, 'municipality'), secret: secrets.municipality }), 0),
  ]);
  return {
    letters: { url: servers[0]!.url, secret: secrets.letters },
    bank: { url: servers[1]!.url, secret: secrets.bank },
    municipality: { url: servers[2]!.url, secret: secrets.municipality },
    lettersUrl: servers[0]!.url,
    bankUrl: servers[1]!.url,
    municipalityUrl: servers[2]!.url,
    outboxDir,
    carriers: { mailDir: join(outboxDir, 'mail'), smsFile: sms.file, mailhouseDir: carriers.mailhouseDir },
    close: async () => {
      await Promise.all([...servers.map((s) => s.close()), smtp.close(), sms.close()]);
    },
  };
}
