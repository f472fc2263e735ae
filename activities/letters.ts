import type { LetterKind, SendLetterRequest, SentLetter } from '../services/letters/letter-contract.js';
import { callService } from './service-client.js';

export type { LetterKind, SendLetterRequest, SentLetter };

/**
 * Hands a letter to the letter service. The idempotency key (workflow id + step) makes a retried
 * or replayed activity return the letter already sent instead of posting a second one.
 */
export function createLetterActivities(lettersUrl: string) {
  return {
    async sendLetter(request: SendLetterRequest): Promise<SentLetter> {
      return callService<SentLetter>(lettersUrl, '/letters', request);
    },
  };
}
