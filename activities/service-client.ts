import { ApplicationFailure } from '@temporalio/common';
import { currentLogContext } from '../infra/observability/log-context.js';

/** Where one of our services answers, and the secret it asks of its callers (shared/config.ts). */
export interface ServiceEndpoint {
  readonly url: string;
  readonly secret: string;
}

/** How a caller presents a service's credential (services/http/service-credential.ts checks it). */
export const serviceCredentialHeaders = (secret: string): Record<string, string> => ({ authorization: `Bearer ${secret}` });

const requestIdHeader = (): Record<string, string> => {
  const requestId = currentLogContext()?.requestId;
  return requestId ? { 'x-request-id': requestId } : {};
};

/**
 * Calls one of our own services over HTTP. A 4xx answer is a bug or bad data that a retry will
 * not fix, so it fails the activity for good; anything else (5xx, refused connection) is thrown
 * as a plain error and retried by Temporal with backoff. A refused credential (401) is retried
 * too: it is the worker's configuration, which an operator fixes, and the track should then go on
 * where it stood rather than have failed.
 */
export async function callService<T>(service: ServiceEndpoint, path: string, body: unknown, options: { timeoutMs?: number } = {}): Promise<T> {
  const response = await fetch(new URL(path, service.url), {
    method: 'POST',
    // The activity's id travels as the request id: the service's log lines of this call carry it.
    headers: { 'content-type': 'application/json', ...serviceCredentialHeaders(service.secret), ...requestIdHeader() },
    body: JSON.stringify(body),
    // A run's pain.008 of thousands of debits takes longer than a letter: its caller says how long.
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  if (response.status === 401) throw new Error(`${path} refused the worker's service credential (401): check the service secrets in its configuration`);
  if (response.status >= 400 && response.status < 500) {
    throw ApplicationFailure.nonRetryable(`${path} answered ${response.status}: ${text}`, 'ServiceRejected');
  }
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}
