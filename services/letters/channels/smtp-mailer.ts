import nodemailer, { type Transporter } from 'nodemailer';

/** Where e-mailed letters leave: an SMTP relay (SMTP_URL, credentials in the URL) and the sender address. */
export interface SmtpSettings {
  /** `smtp://user:pass@relay.example.nl:587` or `smtps://…:465`; the dev stack's local server otherwise. */
  readonly url: string;
  /** `"Woonstichting X" <incasso@x.nl>`: the envelope and From address. */
  readonly from: string;
}

export interface LetterMail {
  readonly letterId: string;
  readonly to: string;
  readonly fromName: string;
  readonly subject: string;
  readonly text: string;
  readonly pdf: Buffer;
  readonly pdfName: string;
}

/**
 * The Message-ID of a letter's e-mail, derived from the letter id only: a retried send carries
 * the same id, so the receiving side (our local server; most mail stores) recognises the repeat.
 */
export const letterMessageId = (letterId: string) => `<letter-${letterId}@huurincasso.letters>`;

/** The e-mail adapter: one letter, its PDF attached, through the relay over SMTP (nodemailer). */
export function createSmtpMailer(settings: SmtpSettings) {
  const transport: Transporter = nodemailer.createTransport(settings.url, { from: settings.from });
  const address = /<([^>]+)>/.exec(settings.from)?.[1] ?? settings.from;
  return {
    /** Resolves once the relay accepted the message (250 after DATA); its Message-ID. */
    async send(mail: LetterMail): Promise<{ messageId: string; response: string }> {
      const messageId = letterMessageId(mail.letterId);
      const info = await transport.sendMail({
        from: { name: mail.fromName, address },
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId,
        headers: { 'X-Letter-Id': mail.letterId },
        attachments: [{ filename: mail.pdfName, content: mail.pdf, contentType: 'application/pdf' }],
      });
      return { messageId, response: String(info.response ?? '') };
    },
    close: () => transport.close(),
  };
}
export type SmtpMailer = ReturnType<typeof createSmtpMailer>;
