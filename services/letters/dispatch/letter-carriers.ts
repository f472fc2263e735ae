import type { LetterChannel } from '../../../shared/letters/letter-contract.js';
import { createMailHouseBatches } from '../channels/mail-house-batch.js';
import { createSmsGatewayClient, type SmsGatewaySettings } from '../channels/sms-gateway-client.js';
import { createSmtpMailer, type SmtpSettings } from '../channels/smtp-mailer.js';
import type { Dispatched } from './dispatch-once.js';

/** The outside parties letters leave through; a channel without its carrier configured is not offered. */
export interface CarrierSettings {
  /** The print and mail house's drop folder: `<dir>/<yyyy-mm-dd>/` batches. */
  readonly mailhouseDir: string;
  readonly smtp?: SmtpSettings;
  readonly smsGateway?: SmsGatewaySettings;
}

/** A stored letter and what its carrier needs of the tenant (read from Postgres, never from the track). */
export interface OutgoingLetter {
  readonly letterId: string;
  readonly kind: string;
  readonly channel: LetterChannel;
  readonly postedOn: string;
  readonly subject: string;
  readonly body: string;
  readonly pdf: Buffer | null;
  readonly sha256: string | null;
  readonly pages: number | null;
  readonly recipient: { readonly name: string; readonly street: string; readonly postalCode: string; readonly city: string; readonly email: string | null; readonly phone: string | null };
  readonly senderName: string;
}

/** The e-mail around an e-mailed letter: in plain Dutch, the letter itself attached and repeated as text. */
export function letterMailText(letter: OutgoingLetter): string {
  return [
    `Beste ${letter.recipient.name},`,
    '',
    `U ontvangt deze e-mail van ${letter.senderName}. In de bijlage vindt u onze brief "${letter.subject}" als PDF. Hieronder staat dezelfde tekst.`,
    'Heeft u vragen, of lukt betalen niet? Antwoord dan op deze e-mail of bel ons. Samen zoeken we een oplossing.',
    '',
    '----------------------------------------------------------------------',
    '',
    letter.body,
  ].join('\n');
}

/**
 * The day a digital carrier took the letter: its posting day as the track dated it (the track's
 * clock, which a simulation moves), since the carrier answers within the send.
 */
const acceptedOn = (letter: OutgoingLetter) => letter.postedOn;

/** Hands each letter to the carrier of its channel, under the letter's own id (see dispatch-once.ts). */
export function createLetterCarriers(settings: CarrierSettings) {
  const mailHouse = createMailHouseBatches(settings.mailhouseDir);
  const mailer = settings.smtp ? createSmtpMailer(settings.smtp) : null;
  const gateway = settings.smsGateway ? createSmsGatewayClient(settings.smsGateway) : null;

  return {
    /** Whether a channel can be used at all here (otherwise the letter goes by post). */
    offers(channel: LetterChannel): boolean {
      if (channel === 'email') return mailer !== null;
      if (channel === 'sms' || channel === 'whatsapp' || channel === 'payment_link') return gateway !== null;
      return true;
    },
    async send(letter: OutgoingLetter): Promise<Dispatched> {
      switch (letter.channel) {
        case 'post':
        case 'registered_post': {
          if (!letter.pdf || !letter.sha256 || !letter.pages) throw new Error(`letter ${letter.letterId} has no PDF to post`);
          const r = letter.recipient;
          const { batch } = await mailHouse.add({
            letterId: letter.letterId,
            kind: letter.kind,
            postedOn: letter.postedOn,
            pdf: letter.pdf,
            sha256: letter.sha256,
            pages: letter.pages,
            registered: letter.channel === 'registered_post',
            address: [r.name, r.street, `${r.postalCode}  ${r.city}`],
          });
          // Delivery: presumed by the legal rule, or reported by the mail house (registered).
          return { provider: 'mailhouse', reference: batch, deliveredOn: null, basis: null };
        }
        case 'email': {
          if (!mailer || !letter.recipient.email || !letter.pdf) throw new Error(`letter ${letter.letterId} cannot go by e-mail`);
          const { messageId } = await mailer.send({
            letterId: letter.letterId,
            to: letter.recipient.email,
            fromName: letter.senderName,
            subject: `${letter.subject} (${letter.senderName})`,
            text: letterMailText(letter),
            pdf: letter.pdf,
            pdfName: `${letter.kind}-${letter.postedOn}.pdf`,
          });
          return { provider: 'smtp', reference: messageId, deliveredOn: acceptedOn(letter), basis: 'smtp_accepted' };
        }
        case 'sms':
        case 'whatsapp':
        case 'payment_link': {
          if (!gateway || !letter.recipient.phone) throw new Error(`letter ${letter.letterId} cannot go by ${letter.channel}`);
          const { gatewayId } = await gateway.send({
            messageId: letter.letterId,
            channel: letter.channel === 'whatsapp' ? 'whatsapp' : 'sms',
            to: letter.recipient.phone,
            text: letter.body,
          });
          return { provider: 'sms-gateway', reference: gatewayId, deliveredOn: acceptedOn(letter), basis: 'gateway_accepted' };
        }
      }
    },
  };
}
export type LetterCarriers = ReturnType<typeof createLetterCarriers>;
