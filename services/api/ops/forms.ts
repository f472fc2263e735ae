import { decisions, exceptionKinds } from '../../../shared/track/decisions.js';
import { segments } from '../../../shared/track/stages.js';
import { taskOutcomes } from '../../../shared/track/task-messages.js';
import { html } from './html.js';
import { decisionLabel } from './people.js';

/**
 * The page's forms. Each posts to /ops/act/<action> (htmx swaps the API's answer into the
 * form's result slot; without JavaScript the answer comes as a page of its own) and carries the
 * session's CSRF token as a field besides the header htmx adds.
 */
const actionForm = (action: string, csrfToken: string, resultId: string, fields: ReturnType<typeof html>, button: string, buttonId?: string) =>
  html`<form class="inline" method="post" action="/ops/act/${action}" hx-post="/ops/act/${action}" hx-target="#${resultId}" hx-swap="innerHTML">
    <input type="hidden" name="_csrf" value="${csrfToken}">${fields}<button${buttonId ? html` id="${buttonId}"` : ''}>${button}</button></form><span id="${resultId}" class="result"></span>`;

const options = (values: readonly string[], selected?: string) => values.map((v) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${v}</option>`);

/** A DOM id from any value (task ids have slashes). */
export const domId = (prefix: string, value: string) => `${prefix}-${Buffer.from(value).toString('hex').slice(0, 80)}`;

export const taskOutcomeForm = (csrfToken: string, taskId: string) =>
  actionForm(
    'task-outcome',
    csrfToken,
    domId('result', taskId),
    html`<input type="hidden" name="taskId" value="${taskId}">
      <select name="outcome" aria-label="outcome">${options(taskOutcomes)}</select>
      <input type="date" name="promisedOn" aria-label="promised on" title="promised on (promise_to_pay)">
      <input name="note" placeholder="note" maxlength="2000">`,
    'Record',
    domId('record', taskId),
  );

export const confirmSegmentForm = (csrfToken: string, caseId: string, proposed: string) =>
  actionForm(
    'confirm-segment',
    csrfToken,
    domId('segment', caseId),
    html`<input type="hidden" name="caseId" value="${caseId}"><select name="segment" aria-label="segment">${options(segments, proposed)}</select>`,
    'Confirm',
  );

export const registerExceptionForm = (csrfToken: string, caseId: string) =>
  actionForm(
    'register-exception',
    csrfToken,
    domId('exception', caseId),
    html`<input type="hidden" name="caseId" value="${caseId}"><select name="kind" aria-label="exception">${options(exceptionKinds)}</select>
      <input type="date" name="since" aria-label="since" title="since (today when empty)"><input name="note" placeholder="note" maxlength="2000">`,
    'Register exception',
  );

export const resolveExceptionForm = (csrfToken: string, caseId: string, kind: string) =>
  actionForm(
    'resolve-exception',
    csrfToken,
    domId(`resolve-${kind}`, caseId),
    html`<input type="hidden" name="caseId" value="${caseId}"><input type="hidden" name="kind" value="${kind}">
      <select name="outcome" aria-label="resolution"><option value="resume">resume the track</option><option value="write_off">propose write-off</option></select>`,
    `Resolve ${kind}`,
  );

export const proposeForm = (csrfToken: string, caseId: string, decision?: string) =>
  actionForm(
    'propose',
    csrfToken,
    domId(`propose-${decision ?? 'any'}`, caseId),
    html`<input type="hidden" name="caseId" value="${caseId}">${
      decision ? html`<input type="hidden" name="decision" value="${decision}">` : html`<select name="decision" aria-label="decision">${options(decisions)}</select>`
    }`,
    decision ? `Propose ${decisionLabel(decision)}` : 'Propose',
  );

export const approveForm = (csrfToken: string, caseId: string, decision: string, proposalId: string) =>
  actionForm(
    'approve',
    csrfToken,
    domId('approve', proposalId),
    html`<input type="hidden" name="caseId" value="${caseId}"><input type="hidden" name="decision" value="${decision}"><input type="hidden" name="proposalId" value="${proposalId}">`,
    `Approve ${decisionLabel(decision)}`,
    domId('approve-button', proposalId),
  );

export const bankEntryForm = (csrfToken: string, entryId: string) =>
  actionForm(
    'bank-entry',
    csrfToken,
    domId('entry', entryId),
    html`<input type="hidden" name="entryId" value="${entryId}"><input name="caseId" placeholder="case id (book to it)" size="20">
      <select name="action" aria-label="or"><option value="">book to the case</option><option value="refund">refund</option><option value="not_ours">not ours</option></select>`,
    'Settle',
  );
