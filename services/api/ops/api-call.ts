import type { Request, Response } from 'express';
import { csrfHeader, sessionCookie, signedInOf } from './session-auth.js';

export interface ApiAnswer {
  readonly status: number;
  /** The JSON answer (the api.md error shape on a refusal); null for an empty or non-JSON one. */
  readonly body: any;
}

/**
 * Calls the JSON API (/v1) as the signed-in person, over the loopback connection to this very
 * process: the request passes the same authentication (the session, as a key would), access,
 * zod schemas, scope, audit and the tracks' validators as any other client's. The page decides
 * nothing itself; it only turns forms into these calls and answers into HTML.
 */
export async function callApi(req: Request, res: Response, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<ApiAnswer> {
  const response = await fetchApi(req, res, method, path, body);
  const text = await response.text();
  let parsed: unknown = null;
  if (text && (response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
  return { status: response.status, body: parsed };
}

/** The raw answer (a letter's PDF). */
export async function fetchApi(req: Request, res: Response, method: string, path: string, body?: unknown): Promise<globalThis.Response> {
  const signedIn = signedInOf(res);
  if (!signedIn) throw new Error('callApi needs a signed-in session');
  const { localAddress, localPort } = req.socket;
  // The address and port this request reached: the API's own listener, whatever it is bound to.
  const host = !localAddress || localAddress === '::' || localAddress === '0.0.0.0' ? '127.0.0.1' : localAddress.includes(':') ? `[${localAddress}]` : localAddress;
  return fetch(`http://${host}:${localPort}${path}`, {
    method,
    headers: {
      cookie: `${sessionCookie}=${signedIn.secret}`,
      [csrfHeader]: signedIn.session.csrfToken,
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The API's refusal in a sentence: its code and message, as the person should see them. */
export const refusalOf = (answer: ApiAnswer): string =>
  answer.body?.error ? `${answer.body.error.code}: ${answer.body.error.message}` : `the API answered ${answer.status}`;
