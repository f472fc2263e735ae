import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { callApi, refusalOf } from './api-call.js';
import { approveForm, confirmSegmentForm, proposeForm, registerExceptionForm, resolveExceptionForm, taskOutcomeForm } from './forms.js';
import { html, type Html } from './html.js';
import { page, trackInUi, type TemporalUi } from './layout.js';
import { peopleByActor } from './people.js';
import type { SignedIn } from './session-auth.js';

/** What the next deadline waits for, in words (the track names it: next-step.ts). */
const deadlineWords: Record<string, string> = {
  first_day_of_default: 'a claim falls into default: the first reminder step',
  wik_term: 'the term of the 14-day letter ends; costs are owed from the day after',
  wik_letter: 'the 14-day letter goes out',
  wik_letter_for_later_claims: 'a 14-day letter for claims that fell due later',
  handover_approval: 'the hand-over waits for a second person’s approval',
  early_warning: 'the early-warning signal to the municipality',
  promise_to_pay: 'the tenant promised to pay by this day',
  prenotice: 'the pre-notification before the due date',
  hold: 'a segment-wide hold: no deadline runs',
  arrangement: 'a payment arrangement runs (its instalments)',
};
const explain = (kind: string) => deadlineWords[kind] ?? (kind.startsWith('reminder_') ? `reminder ${kind.slice(9)} goes out` : kind.replace(/_/g, ' '));

export async function casePageHtml(db: Kysely<Database>, ui: TemporalUi, req: Request, res: Response, signedIn: SignedIn, caseId: string): Promise<{ status: number; body: string }> {
  const caller = signedIn.session.caller;
  const csrf = signedIn.session.csrfToken;
  const answer = await callApi(req, res, 'GET', `/v1/cases/${encodeURIComponent(caseId)}`);
  if (answer.status !== 200) return { status: answer.status, body: page('Case', html`<p class="error">${refusalOf(answer)}</p>`, signedIn.session) };
  const c = answer.body;
  if (c.stale) {
    return { status: 200, body: page(`Case ${c.contractRef}`, html`<p class="error">The collection engine does not answer: only what Postgres holds is shown.</p><pre>${JSON.stringify(c, null, 2)}</pre>`, signedIn.session) };
  }
  const who = await peopleByActor(db, caller);
  const open = c.stage !== 'closed';

  const balance = html`<section id="balance"><h2>Balance <span class="muted">as the ledger derives it on ${c.asOf?.slice?.(0, 10) ?? ''}</span></h2><table>
    ${(['principal', 'collectionCosts', 'vat', 'bailiffFees', 'interest', 'paid', 'outstanding', 'credit'] as const).map(
      (k) => html`<tr><th>${k}</th><td class="num">€ ${c.balance?.[k] ?? '0.00'}</td></tr>`,
    )}</table>${c.interestProvisional ? html`<p class="muted">Interest past the published rate table: provisional.</p>` : ''}</section>`;

  const clock = html`<section id="legal-clock"><h2>Legal clock</h2>${
    c.nextDeadline
      ? html`<p><strong>${c.nextDeadline.date}</strong> — ${explain(c.nextDeadline.kind)} <span class="muted">(${c.nextDeadline.kind})</span></p>`
      : html`<p>No deadline runs: ${c.stage === 'closed' ? `closed (${c.closedReason})` : 'the track waits for a message'}.</p>`
  }<dl><dt>stage</dt><dd>${c.stage}</dd><dt>segment</dt><dd>${c.segment?.confirmed ?? `${c.segment?.proposed} (proposed, not confirmed)`}</dd>
    <dt>payment reference</dt><dd>${c.paymentReference ?? ''}</dd><dt>policy version</dt><dd>${c.policyVersion ?? ''}</dd>
    <dt>track</dt><dd><a href="${trackInUi(ui, c.workflowId)}" target="_blank" rel="noopener">${c.workflowId}</a> (run ${c.run})</dd></dl>
    ${open && !c.segment?.confirmed ? confirmSegmentForm(csrf, caseId, c.segment?.proposed ?? 'unknown') : ''}</section>`;

  const letters = html`<section id="letters"><h2>Letters</h2><table><tr><th>date</th><th>kind</th><th>channel</th><th>delivered</th><th>term ends</th><th>document</th></tr>
    ${(c.letters ?? []).map(
      (l: any) => html`<tr><td>${l.date}</td><td>${l.kind}${l.alongside ? ' (later claims)' : ''}</td><td>${l.channel}</td><td>${l.deliveredAt ?? l.presumedDelivery ?? ''}</td><td>${l.deadline ?? ''}</td>
        <td><a href="/ops/letters/${encodeURIComponent(l.letterId)}/pdf" target="_blank">PDF</a> · <a href="/ops/letters/${encodeURIComponent(l.letterId)}">proof</a></td></tr>`,
    )}</table></section>`;

  const payments = html`<section id="payments"><h2>Payments and reversals</h2><table><tr><th>booked</th><th class="num">amount</th><th>transaction</th><th>reversed</th></tr>
    ${(c.payments ?? []).map((p: any) => html`<tr><td>${p.bookedOn}</td><td class="num">€ ${p.amount}</td><td>${p.transactionId}</td><td>${p.reversedOn ?? ''}</td></tr>`)}</table></section>`;

  const arrangement = c.arrangement;
  const arrangements = html`<section id="arrangements"><h2>Arrangements <span class="muted">(${c.arrangements ?? 0} in all)</span></h2>${
    arrangement
      ? html`<p>${arrangement.status}, accepted ${arrangement.acceptedOn}, total € ${arrangement.total}, paid € ${arrangement.paid}${arrangement.endedOn ? `, ended ${arrangement.endedOn}` : ''}</p>
        <table><tr><th>due</th><th class="num">amount</th></tr>${arrangement.instalments.map((i: any) => html`<tr><td>${i.dueDate}</td><td class="num">€ ${i.amount}</td></tr>`)}</table>`
      : html`<p class="muted">none</p>`
  }${open ? arrangementForm(csrf, caseId) : ''}</section>`;

  const tasks = html`<section id="tasks"><h2>Tasks</h2><table><tr><th>kind</th><th>status</th><th>opened</th><th>expires</th><th>outcome</th></tr>
    ${(c.tasks ?? []).map(
      (t: any) => html`<tr><td>${t.kind}</td><td>${t.status}</td><td>${t.openedOn}</td><td>${t.expiresOn}</td><td>${t.outcome ?? (t.status === 'open' && t.kind !== 'dispute' ? taskOutcomeForm(csrf, t.taskId) : '')}</td></tr>`,
    )}</table></section>`;

  const decisions = html`<section id="decisions"><h2>Decisions</h2><table><tr><th>decision</th><th>proposed by</th><th>on</th><th>status</th><th>approved by</th><th></th></tr>
    ${(c.proposals ?? []).map(
      (p: any) => html`<tr><td>${p.decision}</td><td>${who(p.proposedBy)}</td><td>${p.proposedAt?.slice(0, 10)}</td><td>${p.status}</td><td>${who(p.approvedBy)}</td>
        <td>${p.status === 'pending' && p.proposedBy !== caller.actor && caller.role === 'approver' ? approveForm(csrf, caseId, p.decision, p.proposalId) : ''}</td></tr>`,
    )}</table>${open ? html`${proposeForm(csrf, caseId)}` : ''}
    <h3>Exceptions</h3>${(c.exceptions ?? []).length === 0 ? html`<p class="muted">none</p>` : (c.exceptions as string[]).map((kind) => html`<div>${kind} ${resolveExceptionForm(csrf, caseId, kind)}</div>`)}
    ${open ? registerExceptionForm(csrf, caseId) : ''}</section>`;

  const timeline = html`<section id="timeline"><h2>Timeline</h2><table>${[...(c.timeline ?? [])].reverse().map(
    (e: any) => html`<tr><td>${String(e.at).replace('T', ' ').slice(0, 19)}</td><td>${String(e.event).replace(/person:[0-9a-f]{16}/g, (actor) => who(actor))}</td></tr>`,
  )}</table></section>`;

  const title = `Case ${c.workflowId}`;
  return { status: 200, body: page(title, html`${clock}${balance}${decisions}${tasks}${letters}${payments}${arrangements}${timeline}`, signedIn.session) };
}

/** Step one of an arrangement: the instalments, one per line; the review shows the policy's rules before anything is sent. */
const arrangementForm = (csrf: string, caseId: string): Html =>
  html`<form method="post" action="/ops/cases/${caseId}/arrangement-review" hx-post="/ops/cases/${caseId}/arrangement-review" hx-target="#arrangement-review">
    <input type="hidden" name="_csrf" value="${csrf}">
    <label>Propose an arrangement: one instalment per line, <code>YYYY-MM-DD amount</code><br>
    <textarea name="instalments" rows="4" cols="40" placeholder="2026-12-15 450.00"></textarea></label><br><button>Review against the policy</button></form>
    <div id="arrangement-review"></div>`;
