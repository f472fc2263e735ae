import { euro, longDate, type LetterRecipient } from './render-letter.js';

/**
 * The pre-notification of a direct debit (SEPA rulebook: the amount and the date, by default 14
 * calendar days before; interfaces.md §1.4). It names the creditor and its identifier and the
 * mandate, so the occupant can check the debit against the statement, and the later date the
 * advance is tried once more should it fail. Printed as a PDF in the letters' house style and
 * repeated as text in the e-mail around it.
 */
export const directDebitPrenotificationTemplate = 'direct-debit-prenotification@2';

export interface PrenotificationContext {
  readonly recipient: LetterRecipient;
  readonly creditorName: string;
  readonly creditorIdentifier: string;
  readonly mandateId: string;
  readonly unitRef: string;
  /** `YYYY-MM`. */
  readonly month: string;
  readonly amount: string;
  readonly collectionDate: string;
  /** The month's later run, where a failed debit is tried once more; null when the month has none. */
  readonly retryDate: string | null;
  readonly postedOn: string;
}

export interface ComposedPrenotification {
  readonly subject: string;
  /** From the salutation to the last paragraph; the address, date and subject are printed above it. */
  readonly lines: readonly string[];
  readonly closing: readonly string[];
}

const monthName = (month: string) => longDate(`${month}-01`).replace(/^\d+\s+/, '');

export function composePrenotification(ctx: PrenotificationContext): ComposedPrenotification {
  return {
    subject: `aankondiging automatische incasso voorschot servicekosten ${monthName(ctx.month)}`,
    lines: [
      `Geachte ${ctx.recipient.name},`,
      '',
      `Op ${longDate(ctx.collectionDate)} schrijven wij ${euro(ctx.amount)} van uw rekening af: het voorschot servicekosten van ${monthName(ctx.month)} voor ${ctx.unitRef}.`,
      '',
      `Incassant: ${ctx.creditorName}, incassant-ID ${ctx.creditorIdentifier}.`,
      `Machtigingskenmerk: ${ctx.mandateId}.`,
      '',
      ...(ctx.retryDate
        ? [`Lukt de afschrijving niet, bijvoorbeeld omdat het saldo niet toereikend is, dan proberen wij het eenmaal opnieuw op ${longDate(ctx.retryDate)}.`, '']
        : []),
      'U kunt een afschrijving tot acht weken erna zonder opgaaf van reden laten terugboeken door uw bank. Een teruggeboekt voorschot blijft verschuldigd.',
    ],
    closing: ['Met vriendelijke groet,', ctx.creditorName],
  };
}

/** The same notice as plain text: the e-mail's body, and what the notice row keeps to be read back. */
export function renderPrenotification(ctx: PrenotificationContext, notice: ComposedPrenotification = composePrenotification(ctx)): string {
  const lines = [
    ctx.recipient.name,
    ctx.recipient.street,
    `${ctx.recipient.postalCode} ${ctx.recipient.city}`,
    '',
    longDate(ctx.postedOn),
    '',
    `Onderwerp: ${notice.subject}`,
    '',
    ...notice.lines,
    '',
    ...notice.closing,
  ];
  return `${lines.join('\n')}\n`;
}
