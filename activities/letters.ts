import type { LetterKind, SendLetterRequest, SentLetter } from '../shared/letters/letter-contract.js';
import { callService, type ServiceEndpoint } from './service-client.js';

export type { LetterKind, SendLetterRequest, SentLetter };

/**
 * Hands a letter to the letter service. The idempotency key (workflow id + step) makes a retried
 * or replayed activity return the letter already sent instead of posting a second one.
 */
export function createLetterActivities(letters: ServiceEndpoint) {
  return {
    async sendLetter(request: SendLetterRequest): Promise<SentLetter> {
      return callService<SentLetter>(letters, '/letters', request);
    },
  };
}
