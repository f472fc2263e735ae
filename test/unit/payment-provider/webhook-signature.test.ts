import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSignedBy, signWebhook } from '../../../shared/payment-provider/webhook-signature.js';

/** The payment provider's webhook signature (issue 12): HMAC-SHA256 over the raw body, hex, `sha256=` first. */
describe('webhook signature', () => {
  const secret = 'a-shared-secret-of-at-least-32-characters';
  const body = '{"id":"tr_0123456789abcdef"}';

  it('is the hex HMAC-SHA256 of the exact bytes', () => {
    expect(signWebhook(body, secret)).toBe(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    expect(isSignedBy(body, signWebhook(body, secret), secret)).toBe(true);
    expect(isSignedBy(Buffer.from(body), signWebhook(body, secret), secret)).toBe(true);
  });

  it('refuses a missing, malformed, foreign or other-body signature', () => {
    expect(isSignedBy(body, undefined, secret)).toBe(false);
    expect(isSignedBy(body, '', secret)).toBe(false);
    expect(isSignedBy(body, signWebhook(body, secret).toUpperCase(), secret)).toBe(false);
    expect(isSignedBy(body, signWebhook(body, secret).slice(7), secret)).toBe(false);
    expect(isSignedBy(body, signWebhook(body, `${secret}x`), secret)).toBe(false);
    expect(isSignedBy(`${body}\n`, signWebhook(body, secret), secret)).toBe(false);
    expect(isSignedBy(body.replace('tr_0', 'tr_1'), signWebhook(body, secret), secret)).toBe(false);
  });
});
