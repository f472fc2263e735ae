import { join } from 'node:path';
import { startLocalSmsGateway } from '../services/outside-parties/local-sms-gateway.js';
import { startLocalSmtpServer } from '../services/outside-parties/local-smtp-server.js';

export interface LocalCarriers {
  /** What the letter service is given: SMTP_URL, SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN. */
  readonly env: Record<string, string>;
  /** For the start-up banner: where mail and messages land. */
  readonly lines: readonly string[];
  stop(): Promise<void>;
}

/**
 * The outside parties letters leave through, for `npm start`: a real SMTP server keeping what it
 * receives in `data/outbox/mail/<Message-ID>.eml` and an SMS gateway keeping messages as JSON lines
 * in `data/outbox/sms/`. A carrier configured in the environment (SMTP_URL, SMS_GATEWAY_URL) is
 * used instead of its local stand-in.
 */
export async function startLocalCarriers(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<LocalCarriers> {
  const outbox = join(dataDir, 'outbox');
  const smtp = env.SMTP_URL ? null : await startLocalSmtpServer({ dir: join(outbox, 'mail'), port: Number(env.LOCAL_SMTP_PORT ?? 2525) });
  const sms = env.SMS_GATEWAY_URL ? null : await startLocalSmsGateway({ dir: join(outbox, 'sms'), port: Number(env.LOCAL_SMS_GATEWAY_PORT ?? 3105) });
  return {
    env: {
      ...(smtp ? { SMTP_URL: smtp.url } : {}),
      ...(sms ? { SMS_GATEWAY_URL: sms.url, SMS_GATEWAY_TOKEN: sms.token } : {}),
    },
    lines: [
      smtp ? `  e-mail (SMTP)  127.0.0.1:${smtp.port} → ${join(outbox, 'mail')}/<Message-ID>.eml` : `  e-mail (SMTP)  ${env.SMTP_URL?.replace(/:[^:@/]+@/, ':***@')}`,
      sms ? `  SMS gateway    ${sms.url} → ${sms.file}` : `  SMS gateway    ${env.SMS_GATEWAY_URL}`,
      `  mail house     ${join(outbox, 'mailhouse')}/<yyyy-mm-dd>/ (PDFs + manifest.json/.csv)`,
    ],
    stop: async () => {
      await Promise.all([smtp?.close(), sms?.close()]);
    },
  };
}
