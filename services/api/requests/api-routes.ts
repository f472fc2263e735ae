import { apiKeyContracts } from './api-keys.js';
import { auditContracts } from './audit.js';
import { bankContracts } from './bank.js';
import { paymentLinkContracts } from './payment-links.js';
import { caseDecisionContracts } from './case-decisions.js';
import { calculationContracts } from './calculations.js';
import { codecContracts } from './codec.js';
import { caseContracts } from './cases.js';
import { caseBatchContracts } from './case-batch.js';
import { corporationContracts } from './corporations.js';
import { directDebitContracts } from './direct-debit.js';
import { holdContracts } from './holds.js';
import { kpiContracts } from './kpis.js';
import { letterContracts } from './letters.js';
import { letterChannelContracts } from './letter-channels.js';
import { metricsContracts } from './metrics.js';
import { operationContracts } from './operations.js';
import { personalDataContracts } from './personal-data.js';
import type { RouteContract } from './route-contract.js';
import { taskContracts } from './tasks.js';

/** Every route of the API, by area: what the OpenAPI document is generated from. */
export const apiRouteContracts: readonly RouteContract[] = [
  ...Object.values(operationContracts),
  ...Object.values(metricsContracts),
  ...Object.values(caseContracts),
  ...Object.values(caseBatchContracts),
  ...Object.values(caseDecisionContracts),
  ...Object.values(personalDataContracts),
  ...Object.values(taskContracts),
  ...Object.values(holdContracts),
  ...Object.values(corporationContracts),
  ...Object.values(kpiContracts),
  ...Object.values(calculationContracts),
  ...Object.values(apiKeyContracts),
  ...Object.values(auditContracts),
  ...Object.values(letterContracts),
  ...Object.values(letterChannelContracts),
  ...Object.values(codecContracts),
  ...Object.values(bankContracts),
  ...Object.values(paymentLinkContracts),
  ...Object.values(directDebitContracts),
];
