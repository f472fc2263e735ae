import { ApplicationFailure } from '@temporalio/common';

/**
 * Calls one of our own services over HTTP. A 4xx answer is a bug or bad data that a retry will
 * not fix, so it fails the activity for good; anything else (5xx, refused connection) is thrown
 * as a plain error and retried by Temporal with backoff.
 */
export async function callService<T>(baseUrl: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(new URL(path, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status >= 400 && response.status < 500) {
    throw ApplicationFailure.nonRetryable(`${path} answered ${response.status}: ${text}`, 'ServiceRejected');
  }
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}
