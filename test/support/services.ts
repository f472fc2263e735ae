import type { Kysely } from 'kysely';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../infra/db/database.js';
import { createBankService } from '../../services/bank/bank-service.js';
import { listen, type ListeningServer } from '../../services/http/serve.js';
import { createLetterService } from '../../services/letters/letter-service.js';
import { createMunicipalityService } from '../../services/municipality/municipality-service.js';

/** The service addresses a worker needs, for these running services. */
export function workerServiceOptions(services: RunningServices) {
  return {
    lettersUrl: services.lettersUrl,
    bankUrl: services.bankUrl,
    municipalityUrl: services.municipalityUrl,
    bailiffOutboxDir: join(services.outboxDir, 'bailiff'),
  };
}

export interface RunningServices {
  readonly lettersUrl: string;
  readonly bankUrl: string;
  readonly municipalityUrl: string;
  /** Where the print house and the municipality platform pick up what we send. */
  readonly outboxDir: string;
  close(): Promise<void>;
}

/** The letter, bank and municipality services on real HTTP ports, over one test database. */
export async function startServices(db: Kysely<Database>): Promise<RunningServices> {
  const outboxDir = mkdtempSync(join(tmpdir(), 'huurincasso-outbox-'));
  const servers: ListeningServer[] = await Promise.all([
    listen(createLetterService({ db, outboxDir: join(outboxDir, 'letters') }), 0),
    listen(createBankService({ db }), 0),
    listen(createMunicipalityService({ db, outboxDir: join(outboxDir, 'municipality') }), 0),
  ]);
  return {
    lettersUrl: servers[0]!.url,
    bankUrl: servers[1]!.url,
    municipalityUrl: servers[2]!.url,
    outboxDir,
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
