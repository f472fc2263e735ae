import { mkdir, rename, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface LocalSmtpServer {
  /** `smtp://user:pass@127.0.0.1:<port>`: what SMTP_URL points the letter service at. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A Message-ID as a file name: `<letter-…@host>` → `letter-…@host`, nothing that leaves the folder. */
export const emlFileName = (messageId: string) => `${messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9@._-]/g, '_')}.eml`;

/**
 * The mail relay of the local stack and the tests: a real SMTP server (smtp-server, with AUTH)
 * that keeps each message it accepts as `<dir>/<Message-ID>.eml`, the raw RFC 5322 message. A
 * message sent again with the same Message-ID replaces its file: a retried send is one message,
 * as a mail store that de-duplicates on Message-ID shows it.
 */
export async function startLocalSmtpServer({ dir, port = 0, host = '127.0.0.1', user = 'letters', password = 'local-relay' }: { dir: string; port?: number; host?: string; user?: string; password?: string }): Promise<LocalSmtpServer> {
  await mkdir(dir, { recursive: true });
  let unnamed = 0;
  const server = new SMTPServer({
    secure: false,
    // Loopback only, so plain AUTH without TLS is acceptable here (a real relay takes STARTTLS).
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    authMethods: ['PLAIN', 'LOGIN'],
    size: 20 * 1024 * 1024,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const header = raw.subarray(0, raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.length).toString('utf8');
        const messageId = /^message-id:\s*(<[^>\r\n]+>)/im.exec(header)?.[1] ?? `<unnamed-${Date.now()}-${(unnamed += 1)}@local>`;
        const file = join(dir, emlFileName(messageId));
        // Written whole, then renamed: a reader never sees half a message.
        writeFile(`${file}.tmp`, raw)
          .then(() => rename(`${file}.tmp`, file))
          .then(() => callback(null, `queued as ${messageId}`), (error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${actualPort}`,
    port: actualPort,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
