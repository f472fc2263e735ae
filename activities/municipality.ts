import type { MunicipalitySignalReceipt, MunicipalitySignalRequest } from '../shared/municipality/municipality-contract.js';
import { callService, type ServiceEndpoint } from './service-client.js';

export function createMunicipalityActivities(municipality: ServiceEndpoint) {
  return {
    /**
     * An early-warning signal or an announced eviction date to the municipality's platform. The
     * track sends ids, amounts and dates; the service adds the tenant's contact details. Returns the
     * platform's receipt, kept as evidence (courts weigh it before granting an eviction).
     */
    async notifyMunicipality(request: MunicipalitySignalRequest): Promise<MunicipalitySignalReceipt> {
      return callService(municipality, '/signals', request);
    },
  };
}
