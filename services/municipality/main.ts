import { join } from 'node:path';
import { dataDir } from '../../infra/paths.js';
import { runService } from '../http/run-service.js';
import { createMunicipalityService } from './municipality-service.js';

await runService({
  name: 'municipality service',
  port: (config) => config.MUNICIPALITY_PORT,
  secretVariable: 'MUNICIPALITY_SERVICE_SECRET',
  app: (db, secret) => createMunicipalityService({ db, outboxDir: join(dataDir, 'outbox', 'municipality'), secret }),
});
