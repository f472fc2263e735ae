import { createHmac, timingSafeEqual } from 'node:crypto';

/** The signature header's value for a raw body: `sha256=` and the hex HMAC-SHA256 under the shared secret. */
export function signWebhook(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Whether the header signs exactly this body under the secret; compared in constant time. */
export function isSignedBy(rawBody: string | Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  return timingSafeEqual(Buffer.from(signWebhook(rawBody, secret)), Buffer.from(header));
}
