import { callService } from './service-client.js';

export function createBankActivities(bankUrl: string) {
  return {
    /** The case's betalingskenmerk, created once; letters quote it so the bank statement can be matched. */
    async ensurePaymentReference(caseId: string): Promise<string> {
      const { reference } = await callService<{ reference: string }>(bankUrl, '/payment-references', { caseId });
      return reference;
    },
  };
}
