import { callService, type ServiceEndpoint } from './service-client.js';

export function createBankActivities(bank: ServiceEndpoint) {
  return {
    /** The case's betalingskenmerk, created once; letters quote it so the bank statement can be matched. */
    async ensurePaymentReference(caseId: string): Promise<string> {
      const { reference } = await callService<{ reference: string }>(bank, '/payment-references', { caseId });
      return reference;
    },
  };
}
