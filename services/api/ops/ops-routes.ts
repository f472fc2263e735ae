import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Kysely } from 'kysely';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../../infra/db/database.js';
import { HttpError } from '../../http/errors.js';
import { runAction } from './actions.js';
import { fetchApi, callApi, refusalOf } from './api-call.js';
import { arrangementReview } from './arrangement-review.js';
import { casePageHtml } from './case-page.js';
import { html } from './html.js';
import { kpiCsv, kpiPage } from './kpi-page.js';
import { page, type TemporalUi } from './layout.js';
import { clearCookie, cookiesOf, pageSession, sameToken, sessionCookie, setCookie, setSessionCookie, signInCookie, signedInOf, type SignedIn } from './session-auth.js';
import { closeSession, newSecret, openSession } from './session-store.js';
import { signInPage } from './sign-in-page.js';
import { worklistPage } from './worklist-page.js';

export interface OpsPageDeps {
  readonly db: Kysely<Database>;
  readonly ui: TemporalUi;
  /** Today's Amsterdam date: the real clock, or the simulation's. */
  readonly today: () => Promise<string>;
}

/** The files the page loads, from the installed packages and this folder: no CDN at run time. */
const assets: Record<string, { file: string; type: string }> = {
  'htmx.min.js': { file: '../../../node_modules/htmx.org/dist/htmx.min.js', type: 'text/javascript' },
  'uPlot.iife.min.js': { file: '../../../node_modules/uplot/dist/uPlot.iife.min.js', type: 'text/javascript' },
  'uPlot.min.css': { file: '../../../node_modules/uplot/dist/uPlot.min.css', type: 'text/css' },
  'kpi-charts.js': { file: './assets/kpi-charts.js', type: 'text/javascript' },
};

/**
 * Scripts from this origin only, no inline script (the KPI data travel as a JSON block), no
 * framing; inline styles stay allowed (the page's own sheet, uPlot's and htmx's indicator rules).
 */
const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
  });
  next();
};

const signedIn = (res: Response): SignedIn => signedInOf(res)!;
const sendPage = (res: Response, body: string, status = 200) => res.status(status).set('Cache-Control', 'no-store').type('html').send(body);

/**
 * The operations page at /ops: the team's desk, served by the API process. Pages read Postgres
 * through the key's scope or the JSON API as the person; every action is a JSON API call as the
 * person (actions.ts), so the routes' rules are the only rules.
 */
export function opsRoutes(deps: OpsPageDeps): RequestHandler {
  const router = opsRouter(deps);
  // A handler, not the router itself: the page is HTML for people, not a route of the JSON API,
  // so it stays out of the router stack the OpenAPI document and the key-based route walks read.
  return (req, res, next) => router(req, res, next);
}

function opsRouter(deps: OpsPageDeps): Router {
  const { db, ui, today } = deps;
  const router = Router();
  router.use(securityHeaders);
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));

  router.get('/assets/:name', (req, res) => {
    const asset = Object.hasOwn(assets, req.params.name) ? assets[req.params.name] : undefined;
    if (!asset) throw new HttpError(404, 'not_found', 'no such asset');
    res.type(asset.type).set('Cache-Control', 'public, max-age=3600').sendFile(fileURLToPath(new URL(asset.file, import.meta.url)));
  });

  router.get('/sign-in', (req, res) => {
    const token = newSecret();
    setCookie(req, res, signInCookie, token, 3600);
    sendPage(res, signInPage(token));
  });

  router.post('/sign-in', async (req, res) => {
    const token = cookiesOf(req)[signInCookie];
    if (!token || !sameToken(typeof req.body?._csrf === 'string' ? req.body._csrf : undefined, token)) {
      const fresh = newSecret();
      setCookie(req, res, signInCookie, fresh, 3600);
      return void sendPage(res, signInPage(fresh, 'The sign-in form was out of date; try again.'), 403);
    }
    const opened = typeof req.body?.apiKey === 'string' && req.body.apiKey.length <= 200 ? await openSession(db, req.body.apiKey.trim()) : null;
    if (!opened) return void sendPage(res, signInPage(token, 'Unknown or revoked key.'), 401);
    // A session this browser had before ends: one person, one session per browser.
    const previous = cookiesOf(req)[sessionCookie];
    if (previous) await closeSession(db, previous);
    clearCookie(req, res, signInCookie);
    setSessionCookie(req, res, opened.secret);
    res.redirect(303, '/ops');
  });

  const session = pageSession(db);

  router.post('/sign-out', session, async (req, res) => {
    await closeSession(db, signedIn(res).secret);
    clearCookie(req, res, sessionCookie);
    res.redirect(303, '/ops/sign-in');
  });

  router.get('/', session, async (req, res) => {
    sendPage(res, await worklistPage({ db, ui }, req, res, signedIn(res)));
  });

  router.get('/cases/:caseId', session, async (req, res) => {
    const { status, body } = await casePageHtml(db, ui, req, res, signedIn(res), String(req.params.caseId));
    sendPage(res, body, status);
  });

  router.post('/cases/:caseId/arrangement-review', session, async (req, res) => {
    const fragment = await arrangementReview(req, res, signedIn(res).session.csrfToken, String(req.params.caseId), typeof req.body?.instalments === 'string' ? req.body.instalments : '');
    sendPage(res, req.header('hx-request') ? fragment.text : page('Arrangement', fragment, signedIn(res).session));
  });

  router.post('/act/:action', session, async (req, res) => {
    const { status, fragment } = await runAction(req, res, String(req.params.action), req.body ?? {});
    if (req.header('hx-request')) return void sendPage(res, fragment.text, status);
    // Back to the page the form was on, if it was one of ours.
    const from = req.header('referer') ? new URL(req.header('referer')!, 'http://x').pathname : '/ops';
    sendPage(res, page('Done', html`<p>${fragment}</p><p><a href="${/^\/ops(\/[^/]|$)/.test(from) ? from : '/ops'}">Back</a></p>`, signedIn(res).session), status);
  });

  router.get('/kpis', session, async (req, res) => {
    sendPage(res, await kpiPage(db, req, res, signedIn(res), await today()));
  });

  router.get('/kpis.csv', session, async (req, res) => {
    const csv = await kpiCsv(db, req, res, signedIn(res), await today());
    res.status(csv.status).set({ 'Cache-Control': 'no-store', 'Content-Disposition': 'attachment; filename="kpis.csv"' }).type(csv.type).send(csv.body);
  });

  router.get('/letters/:letterId', session, async (req, res) => {
    const answer = await callApi(req, res, 'GET', `/v1/letters/${encodeURIComponent(String(req.params.letterId))}`);
    const body = answer.status === 200 ? html`<pre>${JSON.stringify(answer.body, null, 2)}</pre>` : html`<p class="error">${refusalOf(answer)}</p>`;
    sendPage(res, page('Letter and its proof', body, signedIn(res).session), answer.status);
  });

  router.get('/letters/:letterId/pdf', session, async (req, res) => {
    const answer = await fetchApi(req, res, 'GET', `/v1/letters/${encodeURIComponent(String(req.params.letterId))}/pdf`);
    res.status(answer.status).set('Cache-Control', 'no-store').type(answer.headers.get('content-type') ?? 'application/octet-stream');
    res.send(Buffer.from(await answer.arrayBuffer()));
  });

  // The page's own errors as a page; the JSON API's refusals were shown where they happened.
  const errors: ErrorRequestHandler = (error, _req, res, _next) => {
    const status = error instanceof HttpError ? error.status : typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
    if (status >= 500) console.error('ops page:', error);
    sendPage(res, page('Something went wrong', html`<p class="error">${status >= 500 ? 'The page failed; try again.' : String(error.message)}</p>`), status);
  };
  router.use(errors);
  return router;
}
