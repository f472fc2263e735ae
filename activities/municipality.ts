import type { MunicipalitySignalRequest } from '../services/municipality/municipality-service.js';
import { callService } from './service-client.js';

export function createMunicipalityActivities(municipalityUrl: string) {
  return {
    /**
     * An early-warning signal or an announced eviction date to the municipality's platform. The
     * track sends ids, amounts and dates; the service adds the tenant's contact details. Returns the
     * platform's receipt, kept as evidence (courts weigh it before granting an eviction).
     */
    async notifyMunicipality(request: MunicipalitySignalRequest): Promise<{ signalId: string; receipt: string }> {
      return callService(municipalityUrl, '/signals', request);
    },
  };
}
