import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { callApi, refusalOf } from './api-call.js';
import { Html, html, query } from './html.js';
import { figures, lastEightQuarters, type Quarter } from './kpi-figures.js';
import { page } from './layout.js';
import type { SignedIn } from './session-auth.js';
import { heldCorporations } from './worklist-queries.js';

export interface QuarterKpis {
  readonly quarter: Quarter;
  readonly kpis: any;
}

/** The eight quarters' KPIs, each from GET /v1/kpis as the person (their role and corporations decide). */
export async function quarterlyKpis(req: Request, res: Response, corporationId: string, today: string): Promise<{ quarters: QuarterKpis[] } | { refusal: string }> {
  const quarters = lastEightQuarters(today);
  const answers = await Promise.all(quarters.map((q) => callApi(req, res, 'GET', `/v1/kpis${query({ corporationId, from: q.from, to: q.to })}`)));
  const refused = answers.find((a) => a.status !== 200);
  if (refused) return { refusal: refusalOf(refused) };
  return { quarters: quarters.map((quarter, i) => ({ quarter, kpis: answers[i]!.body })) };
}

/** The corporation asked for, else the first the key holds. */
export async function chosenCorporation(db: Kysely<Database>, signedIn: SignedIn, requested: unknown) {
  const held = await heldCorporations(db, signedIn.session.caller);
  const asked = typeof requested === 'string' ? held.find((c) => c.corporation_id === requested) : undefined;
  return { held, chosen: asked ?? held[0] };
}

const cell = (v: string | number | null) => (v === null || v === undefined ? '' : String(v));

export async function kpiPage(db: Kysely<Database>, req: Request, res: Response, signedIn: SignedIn, today: string): Promise<string> {
  const { held, chosen } = await chosenCorporation(db, signedIn, req.query.corporationId);
  if (!chosen) return page('KPIs', html`<p class="muted">This key holds no corporation.</p>`, signedIn.session);
  const result = await quarterlyKpis(req, res, chosen.corporation_id, today);
  const picker = html`<form method="get" action="/ops/kpis" class="inline"><select name="corporationId" aria-label="corporation">${held.map(
    (c) => html`<option value="${c.corporation_id}"${c.corporation_id === chosen.corporation_id ? html` selected` : ''}>${c.name} (${c.corporation_id})</option>`,
  )}</select><button>Show</button> <a id="kpi-csv" href="/ops/kpis.csv${query({ corporationId: chosen.corporation_id })}">Export CSV</a></form>`;
  if ('refusal' in result) return page('KPIs', html`${picker}<p class="error">${result.refusal}</p>`, signedIn.session);
  const { quarters } = result;

  const chartData = figures
    .filter((f) => f.chart)
    .map((f) => {
      const values = quarters.map((q) => f.of(q.kpis));
      return { id: f.id, title: f.title, values: values.map((v) => v.value), missing: values.find((v) => v.missing)?.missing ?? null };
    });
  const labels = quarters.map((q) => q.quarter.label);
  const table = html`<table id="kpi-table"><thead><tr><th>figure</th><th>definition</th>${labels.map((l) => html`<th class="num">${l}</th>`)}</tr></thead><tbody>
    ${figures.map(
      (f) => html`<tr><th>${f.title}</th><td>${f.definition}</td>${quarters.map((q) => {
        const v = f.of(q.kpis);
        return html`<td class="num">${v.value === null ? html`<span class="muted" title="${v.missing ?? ''}">n/a</span>` : v.value}<br><span class="muted">${cell(v.numerator)}${
          v.denominator !== null ? ` / ${cell(v.denominator)}` : ''
        }</span></td>`;
      })}</tr>`,
    )}</tbody></table>`;
  const missing = [...new Set(figures.flatMap((f) => quarters.map((q) => f.of(q.kpis)).filter((v) => v.value === null && v.missing).map((v) => `${f.title}: ${v.missing}`)))];
  const short = quarters.map((q) => `Q${q.quarter.label.slice(-1)} '${q.quarter.label.slice(2, 4)}`);
  const data = JSON.stringify({ labels: short, starts: quarters.map((q) => Date.parse(`${q.quarter.from}T00:00:00Z`) / 1000), charts: chartData }).replace(/</g, '\\u003c');
  return page(
    `KPIs · ${chosen.name}`,
    html`${picker}<p>The reference process's figures (domain.md §10) per quarter, the last eight quarters; each cell shows the value over its numerator / denominator.</p>
      <div class="charts" id="kpi-charts"></div>
      ${table}
      <section id="kpi-missing"><h2>Figures that need outside data</h2><ul>${missing.map((m) => html`<li>${m}</li>`)}</ul></section>
      <link rel="stylesheet" href="/ops/assets/uPlot.min.css">
      <script id="kpi-data" type="application/json">${new Html(data)}</script>
      <script src="/ops/assets/uPlot.iife.min.js"></script><script src="/ops/assets/kpi-charts.js"></script>`,
    signedIn.session,
  );
}

const csvField = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  // Quoted, and a leading = + - @ defused: a spreadsheet must not run a figure as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
};

export async function kpiCsv(db: Kysely<Database>, req: Request, res: Response, signedIn: SignedIn, today: string): Promise<{ status: number; body: string; type: string }> {
  const { chosen } = await chosenCorporation(db, signedIn, req.query.corporationId);
  if (!chosen) return { status: 404, body: 'no corporation', type: 'text/plain' };
  const result = await quarterlyKpis(req, res, chosen.corporation_id, today);
  if ('refusal' in result) return { status: 409, body: result.refusal, type: 'text/plain' };
  const header = ['corporation', 'quarter', 'from', 'to', 'figure', 'value', 'numerator', 'denominator', 'definition', 'missing'];
  const lines = result.quarters.flatMap((q) =>
    figures.map((f) => {
      const v = f.of(q.kpis);
      return [chosen.corporation_id, q.quarter.label, q.quarter.from, q.quarter.to, f.id, v.value, v.numerator, v.denominator, f.definition, v.missing].map(csvField).join(',');
    }),
  );
  return { status: 200, body: `${header.join(',')}\r\n${lines.join('\r\n')}\r\n`, type: 'text/csv; charset=utf-8' };
}
