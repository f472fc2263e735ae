import { euro, longDate } from './render-letter.js';

/**
 * The pre-notification of a direct debit (SEPA rulebook: the amount and the date, by default 14
 * calendar days before; interfaces.md §1.4): the letter kind `direct-debit-prenotification`. It
 * names the creditor and its identifier and the mandate, so the occupant can check the debit
 * against the statement, and the later date the advance is tried once more should it fail.
 */
export const directDebitPrenotificationTemplate = 'direct-debit-prenotification/1';

export interface PrenotificationContext {
  readonly recipient: { readonly name: string; readonly street: string; readonly postalCode: string; readonly city: string };
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

const monthName = (month: string) => longDate(`${month}-01`).replace(/^\d+\s+/, '');

export function renderPrenotification(ctx: PrenotificationContext): string {
  const lines = [
    ctx.recipient.name,
    ctx.recipient.street,
    `${ctx.recipient.postalCode} ${ctx.recipient.city}`,
    '',
    longDate(ctx.postedOn),
    '',
    `Onderwerp: aankondiging automatische incasso voorschot servicekosten ${monthName(ctx.month)}`,
    '',
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
    '',
    'Met vriendelijke groet,',
    ctx.creditorName,
  ];
  return `${lines.join('\n')}\n`;
}
