import type { LetterChannel, LetterKind } from '../../../shared/letters/letter-contract.js';

/** What the choice looks at: the tenant's contact details and consent, and the corporation's setting. */
export interface ChannelFacts {
  readonly requested: LetterChannel;
  readonly kind: LetterKind;
  readonly email: string | null;
  readonly phone: string | null;
  readonly consent: { readonly email: boolean; readonly sms: boolean; readonly whatsapp: boolean } | null;
  /** The corporation sends its 14-day letters registered. */
  readonly wikLetterRegistered: boolean;
}

/**
 * The channel a letter actually goes by. The policy asks for one per step; a digital channel needs
 * the tenant's recorded consent for it and an address or number to send to, or the letter goes by
 * post (issue 11: "no consent → post"). A payment-link message travels as an SMS. The 14-day
 * letter goes by post, registered when the corporation says so: neither e-mail nor SMS gives the
 * proof of receipt a court asks for (HR 25-11-2016).
 */
export function chooseChannel(facts: ChannelFacts): LetterChannel {
  if (facts.kind === 'wik') return facts.wikLetterRegistered ? 'registered_post' : facts.requested === 'registered_post' ? 'registered_post' : 'post';
  switch (facts.requested) {
    case 'email':
      return facts.consent?.email && facts.email ? 'email' : 'post';
    case 'sms':
    case 'payment_link':
      return facts.consent?.sms && facts.phone ? facts.requested : 'post';
    case 'whatsapp':
      return facts.consent?.whatsapp && facts.phone ? 'whatsapp' : 'post';
    default:
      return facts.requested;
  }
}
