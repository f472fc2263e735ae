import type { Caller } from '../auth.js';
import { Html, html } from './html.js';

/** Where the page finds the Temporal Web UI and in which namespace the tracks run. */
export interface TemporalUi {
  readonly url: string;
  readonly namespace: string;
}

/** A track in the Temporal Web UI (its id has slashes: encoded as one path segment). */
export const trackInUi = (ui: TemporalUi, workflowId: string) =>
  `${ui.url.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(workflowId)}`;

export const caseLink = (caseId: string) => `/ops/cases/${encodeURIComponent(caseId)}`;

const style = `
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9}
header{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1.2rem;background:#123c69;color:#fff}
header a{color:#fff;text-decoration:none;font-weight:600}header .who{margin-left:auto;font-size:.9rem}
header form{display:inline}header button{background:none;border:1px solid #fff;color:#fff;border-radius:3px;cursor:pointer}
main{padding:1rem 1.2rem;max-width:80rem}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e5e8;vertical-align:top;font-size:.92rem}
th{background:#eef1f5}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
nav.tabs a{display:inline-block;padding:.35rem .7rem;margin-right:.3rem;border-radius:4px 4px 0 0;background:#dde3ea;color:#123c69;text-decoration:none}
nav.tabs a.current{background:#123c69;color:#fff}
.count{display:inline-block;min-width:1.4rem;padding:0 .3rem;border-radius:.7rem;background:#fff;color:#123c69;font-size:.8rem;text-align:center}
.error{color:#a3001b;font-weight:600}.ok{color:#0b6b2d;font-weight:600}
.muted{color:#6b7280}form.inline{display:inline-flex;gap:.3rem;align-items:center;flex-wrap:wrap}
section{background:#fff;padding:.6rem 1rem;margin:0 0 1rem;border:1px solid #e3e5e8;border-radius:4px}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:1rem}
`;

export function page(title: string, body: Html, signedIn?: { caller: Caller; csrfToken: string }): string {
  const nav = signedIn
    ? html`<header>
        <a href="/ops">Worklists</a><a href="/ops/kpis">KPIs</a>
        <span class="who">${signedIn.caller.person} · ${signedIn.caller.role} · ${signedIn.caller.corporationIds.join(', ') || 'all corporations'}</span>
        <form method="post" action="/ops/sign-out"><input type="hidden" name="_csrf" value="${signedIn.csrfToken}"><button id="sign-out">Sign out</button></form>
      </header>`
    : html`<header><a href="/ops">Operations</a></header>`;
  // The CSRF token rides on every htmx request as a header (hx-headers is inherited from body).
  const headers = signedIn ? JSON.stringify({ 'X-CSRF-Token': signedIn.csrfToken }) : '{}';
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><title>${title} · huurincasso</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${new Html(style)}</style>
<script src="/ops/assets/htmx.min.js"></script>
</head><body hx-headers:inherited="${headers}">${nav}<main><h1>${title}</h1>${body}</main></body></html>`}`;
}
