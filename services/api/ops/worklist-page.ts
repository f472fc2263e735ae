import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { writeAudit } from '../audit-trail.js';
import type { Caller } from '../auth.js';
import { callApi } from './api-call.js';
import { approveForm, bankEntryForm, confirmSegmentForm, proposeForm, resolveExceptionForm, taskOutcomeForm } from './forms.js';
import { html, query, type Html } from './html.js';
import { caseLink, page, trackInUi, type TemporalUi } from './layout.js';
import { decisionLabel, peopleByActor } from './people.js';
import type { SignedIn } from './session-auth.js';
import { casePage, heldCorporations, mayWork, pageSize, taskPage, unmatchedPage, worklistCounts, worklistRoles, worklists, worklistTitles, type Worklist, type WorklistFilter } from './worklist-queries.js';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const idLike = /^[A-Za-z0-9._-]{1,64}$/;

/** The filters as the query string gives them; anything malformed is left out rather than refused. */
export function filterOf(req: Request): { list: Worklist; filter: WorklistFilter; cursor?: string; offset: number } {
  const q = req.query as Record<string, unknown>;
  const text = (name: string) => (typeof q[name] === 'string' ? (q[name] as string).trim() : '');
  const list = (worklists as readonly string[]).includes(text('list')) ? (text('list') as Worklist) : 'call';
  const corporationId = idLike.test(text('corporationId')) ? text('corporationId') : undefined;
  const dueBy = isoDate.test(text('dueBy')) ? text('dueBy') : undefined;
  const contract = text('contract') && text('contract').length <= 100 ? text('contract') : undefined;
  const offset = Math.min(1_000_000, Math.max(0, Number.parseInt(text('offset') || '0', 10) || 0));
  return { list, filter: { corporationId, dueBy, contract }, cursor: text('cursor') || undefined, offset };
}

const money = (amount: string) => `€ ${amount}`;
const links = (ui: TemporalUi, caseId: string, workflowId: string) =>
  html`<a href="${caseLink(caseId)}">case</a> · <a href="${trackInUi(ui, workflowId)}" target="_blank" rel="noopener">Temporal</a>`;

export interface WorklistPageDeps {
  readonly db: Kysely<Database>;
  readonly ui: TemporalUi;
}

export async function worklistPage(deps: WorklistPageDeps, req: Request, res: Response, signedIn: SignedIn): Promise<string> {
  const { db, ui } = deps;
  const caller = signedIn.session.caller;
  const csrf = signedIn.session.csrfToken;
  const asked = filterOf(req);
  const { filter, cursor, offset } = asked;
  // The first list the person's role works, unless they asked for one.
  const list = req.query.list === undefined && !mayWork(caller, asked.list) ? (worklists.find((w) => mayWork(caller, w)) ?? asked.list) : asked.list;
  const [counts, corporations] = await Promise.all([worklistCounts(db, caller, filter), heldCorporations(db, caller)]);
  const base = { corporationId: filter.corporationId, dueBy: filter.dueBy, contract: filter.contract };

  const tabs = html`<nav class="tabs">${worklists.map(
    (w) => html`<a id="tab-${w}" class="${w === list ? 'current' : ''}" href="/ops${query({ list: w, ...base })}">${worklistTitles[w]} <span class="count">${counts[w] ?? '–'}</span></a>`,
  )}</nav>`;
  const filters = html`<form method="get" action="/ops" class="inline">
    <input type="hidden" name="list" value="${list}">
    <select name="corporationId" aria-label="corporation"><option value="">all my corporations</option>${corporations.map(
      (c) => html`<option value="${c.corporation_id}"${c.corporation_id === filter.corporationId ? html` selected` : ''}>${c.name} (${c.corporation_id})</option>`,
    )}</select>
    <label>due by <input type="date" name="dueBy" value="${filter.dueBy ?? ''}"></label>
    <input name="contract" placeholder="contract ref" value="${filter.contract ?? ''}">
    <button>Filter</button></form>`;

  let body: Html;
  if (!mayWork(caller, list)) {
    body = html`<p class="muted">This list is for ${worklistRoles[list].join(', ')} keys; you are signed in as ${caller.role}.</p>`;
  } else if (list === 'call' || list === 'visit' || list === 'dispute') {
    const result = await taskPage(db, caller, list, filter, cursor);
    // Contact details were shown: the audit trail records whose (ids only), as GET /v1/tasks does.
    if (result.rows.length > 0) {
      await writeAudit(
        { caller, db },
        {
          kind: 'personal-data-read',
          action: 'opsWorklist',
          status: 200,
          params: { list },
          reach: { corporationIds: [...new Set(result.rows.map((r) => r.corporation_id))], caseId: null },
          note: { detail: { caseIds: [...new Set(result.rows.map((r) => r.case_id))] } },
        },
      );
    }
    body = html`<p>${result.total} open, soonest deadline first.</p>
      <table id="worklist"><thead><tr><th>deadline</th><th>contract</th><th>tenant</th><th>phone</th><th>address</th><th class="num">arrears</th><th>opened</th><th>links</th><th>${list === 'dispute' ? 'resolve' : 'outcome'}</th></tr></thead><tbody>
      ${result.rows.map(
        (r) => html`<tr data-task="${r.task_id}"><td>${r.expires_on}</td><td>${r.contract_ref}<br><span class="muted">${r.corporation_id}</span></td>
          <td>${r.name ?? '(erased)'}</td><td>${r.phone ?? ''}</td><td>${r.street ?? ''} ${r.postal_code ?? ''} ${r.city ?? ''}</td>
          <td class="num">${money(r.arrears)}</td><td>${r.opened_on}</td><td>${links(ui, r.case_id, r.workflow_id)}</td>
          <td>${list === 'dispute' ? resolveExceptionForm(csrf, r.case_id, 'dispute') : taskOutcomeForm(csrf, r.task_id)}</td></tr>`,
      )}</tbody></table>
      ${cursor ? html`<a href="/ops${query({ list, ...base })}">first page</a> ` : ''}${result.nextCursor ? html`<a id="next-page" href="/ops${query({ list, ...base, cursor: result.nextCursor })}">next ${pageSize} →</a>` : ''}`;
  } else if (list === 'bank') {
    const result = await unmatchedPage(db, caller, filter, offset);
    body = html`<p>${result.total} entries that matched no case, oldest first.</p>
      <table id="worklist"><thead><tr><th>booked</th><th class="num">amount</th><th>reference</th><th>from</th><th>corporation</th><th>settle</th></tr></thead><tbody>
      ${result.rows.map(
        (r) => html`<tr><td>${r.booking_date}</td><td class="num">${r.direction === 'DBIT' ? '−' : ''}${money(r.amount)}${r.reversal ? ' (reversal)' : ''}</td>
          <td>${r.structured_ref ?? r.free_text ?? ''}</td><td>${r.counter_name ?? ''}</td><td>${r.corporation_id}</td><td>${bankEntryForm(csrf, r.entry_id)}</td></tr>`,
      )}</tbody></table>${pager(list, base, offset, result.total)}`;
  } else {
    const result = await casePage(db, caller, list, filter, offset);
    if (list === 'segments') {
      body = html`<p>${result.total} open cases whose segment no one confirmed; until then the default ladder applies.</p>
        <table id="worklist"><thead><tr><th>opened</th><th>contract</th><th>stage</th><th>proposed</th><th>links</th><th>confirm</th></tr></thead><tbody>
        ${result.rows.map(
          (r) => html`<tr><td>${r.created_at.toISOString().slice(0, 10)}</td><td>${r.contract_ref}<br><span class="muted">${r.corporation_id}</span></td><td>${r.stage}</td>
            <td>${r.proposed_segment}</td><td>${links(ui, r.case_id, r.workflow_id)}</td><td>${confirmSegmentForm(csrf, r.case_id, r.proposed_segment)}</td></tr>`,
        )}</tbody></table>${pager(list, base, offset, result.total)}`;
    } else {
      body = await approvalsTable(db, req, res, ui, caller, csrf, result.rows);
      body = html`<p>${result.total} open cases where a four-eyes decision may wait; each track is asked for its pending proposals, soonest deadline first.</p>${body}${pager(list, base, offset, result.total)}`;
    }
  }
  return page('Worklists', html`${tabs}${filters}<div id="list-${list}">${body}</div>`, signedIn.session);
}

const pager = (list: Worklist, base: Record<string, string | undefined>, offset: number, total: number) =>
  html`<p>${offset > 0 ? html`<a href="/ops${query({ list, ...base, offset: Math.max(0, offset - pageSize) })}">← previous</a> ` : ''}${
    offset + pageSize < total ? html`<a id="next-page" href="/ops${query({ list, ...base, offset: offset + pageSize })}">next ${pageSize} →</a>` : ''
  }</p>`;

/**
 * Each case's pending proposals, as its track holds them (GET /v1/cases/:caseId, as the person).
 * The approve button is absent for the person who proposed it; the API refuses that anyway (409
 * same_person), and for a role that may not approve (403).
 */
async function approvalsTable(
  db: Kysely<Database>,
  req: Request,
  res: Response,
  ui: TemporalUi,
  caller: Caller,
  csrf: string,
  rows: ReadonlyArray<{ case_id: string; contract_ref: string; corporation_id: string; workflow_id: string; stage: string | null }>,
): Promise<Html> {
  const [states, who] = await Promise.all([Promise.all(rows.map((r) => callApi(req, res, 'GET', `/v1/cases/${encodeURIComponent(r.case_id)}`))), peopleByActor(db, caller)]);
  const items = rows.map((r, i) => ({ row: r, state: states[i]!.status === 200 ? states[i]!.body : null }));
  items.sort((a, b) => (a.state?.nextDeadline?.date ?? '9999').localeCompare(b.state?.nextDeadline?.date ?? '9999'));
  return html`<table id="worklist"><thead><tr><th>deadline</th><th>contract</th><th>stage</th><th>pending</th><th>links</th></tr></thead><tbody>
    ${items.map(({ row, state }) => {
      const pending = ((state?.proposals ?? []) as Array<{ proposalId: string; decision: string; proposedBy: string; proposedAt: string; status: string }>).filter((p) => p.status === 'pending');
      return html`<tr data-case="${row.case_id}"><td>${state?.nextDeadline ? html`${state.nextDeadline.date}<br><span class="muted">${state.nextDeadline.kind}</span>` : ''}</td>
        <td>${row.contract_ref}<br><span class="muted">${row.corporation_id}</span></td><td>${state?.stage ?? row.stage}</td>
        <td>${pending.length === 0 ? html`<span class="muted">nothing proposed</span> ${proposeForm(csrf, row.case_id, row.stage === 'judgment' ? 'eviction' : 'handover')}` : ''}
        ${pending.map(
          (p) => html`<div>${decisionLabel(p.decision)} proposed by ${who(p.proposedBy)} on ${p.proposedAt.slice(0, 10)}
            ${p.proposedBy === caller.actor ? html`<span class="muted">(another person approves)</span>` : caller.role === 'approver' ? approveForm(csrf, row.case_id, p.decision, p.proposalId) : html`<span class="muted">(an approver approves)</span>`}</div>`,
        )}</td><td>${links(ui, row.case_id, row.workflow_id)}</td></tr>`;
    })}</tbody></table>`;
}
