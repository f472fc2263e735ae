import type { Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import { timingSafeEqual } from 'node:crypto';
import type { Database } from '../../../infra/db/database.js';
import { HttpError } from '../../http/errors.js';
import { signIn } from '../auth.js';
import { findSession, sessionHours, type OpsSession } from './session-store.js';

export const sessionCookie = 'ops_session';
/** The sign-in form's own token (double submit): a session cannot be planted from another site. */
export const signInCookie = 'ops_sign_in';
export const csrfHeader = 'x-csrf-token';

/** The cookies of a request, by name (no library: two cookies of our own, values base64url). */
export function cookiesOf(req: Request): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return cookies;
}

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Path=/ (the
 * Temporal UI's codec calls go to /codec), and Secure when the request came over TLS: req.secure
 * honours X-Forwarded-Proto only when the app trusts its proxy (TRUST_PROXY).
 */
export function setCookie(req: Request, res: Response, name: string, value: string, maxAgeSeconds: number): void {
  const attributes = [`${name}=${value}`, 'HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${maxAgeSeconds}`];
  if (req.secure) attributes.push('Secure');
  res.append('Set-Cookie', attributes.join('; '));
}

export const setSessionCookie = (req: Request, res: Response, secret: string) => setCookie(req, res, sessionCookie, secret, sessionHours * 3600);
export const clearCookie = (req: Request, res: Response, name: string) => setCookie(req, res, name, '', 0);

export const sameToken = (a: string | undefined, b: string) => {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
};

export interface SignedIn {
  readonly secret: string;
  readonly session: OpsSession;
}

export const signedInOf = (res: Response): SignedIn | undefined => res.locals.opsSession as SignedIn | undefined;

async function sessionOf(db: Kysely<Database>, req: Request): Promise<SignedIn | null> {
  const secret = cookiesOf(req)[sessionCookie];
  if (!secret) return null;
  const session = await findSession(db, secret);
  return session ? { secret, session } : null;
}

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);

/** The token a state-changing request carries: the header (htmx, the page's fetches) or the form field. */
const csrfOf = (req: Request): string | undefined => req.header(csrfHeader) ?? (typeof req.body?._csrf === 'string' ? (req.body._csrf as string) : undefined);

/**
 * The session as a caller of the JSON API: sets res.locals.caller and keyAccess exactly as a key
 * does (auth.ts signIn), so every route's access, scope, audit and four-eyes rules apply unchanged.
 * `requireCsrf`: every /v1 call by session must carry the session's token in X-CSRF-Token, GETs
 * included (a session is never a way in for a plain link or a form from elsewhere).
 */
export function sessionCaller(db: Kysely<Database>, options: { requireCsrf: boolean }): RequestHandler {
  return async (req, res, next) => {
    const signedIn = await sessionOf(db, req);
    if (!signedIn) throw unauthorized('missing bearer API key or operations-page session');
    if (options.requireCsrf && !sameToken(req.header(csrfHeader), signedIn.session.csrfToken)) {
      throw new HttpError(403, 'csrf', 'a session call needs the X-CSRF-Token header of its session');
    }
    res.locals.opsSession = signedIn;
    signIn(res, db, signedIn.session.caller);
    next();
  };
}

/**
 * /v1 by key (Authorization) as always; without one, by the operations page's session cookie
 * with its CSRF header. A request with neither gets authenticate()'s 401.
 */
export function keyOrSession(db: Kysely<Database>, byKey: RequestHandler): RequestHandler {
  const bySession = sessionCaller(db, { requireCsrf: true });
  return (req, res, next) => (req.header('authorization') === undefined && cookiesOf(req)[sessionCookie] ? bySession(req, res, next) : byKey(req, res, next));
}

/**
 * The pages: a request without a live session goes to the sign-in page (an htmx request is told
 * to go there); a POST must carry the session's CSRF token.
 */
export function pageSession(db: Kysely<Database>): RequestHandler {
  return async (req, res, next) => {
    const signedIn = await sessionOf(db, req);
    if (!signedIn) {
      if (req.header('hx-request')) {
        res.status(401).type('html').send('<p class="error">Your session has ended. <a href="/ops/sign-in">Sign in</a> again.</p>');
        return;
      }
      res.redirect(303, '/ops/sign-in');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !sameToken(csrfOf(req), signedIn.session.csrfToken)) {
      res.status(403).type('html').send('<p class="error">This form is out of date (CSRF token). Reload the page and try again.</p>');
      return;
    }
    res.locals.opsSession = signedIn;
    signIn(res, db, signedIn.session.caller);
    next();
  };
}
