import type { Request, Response } from 'express';
import { callApi, refusalOf } from './api-call.js';
import { html, type Html } from './html.js';

/** The instalments as typed, one per line: `YYYY-MM-DD amount`. Lines that are not are reported back, not guessed. */
export function readInstalments(text: string): { instalments: Array<{ dueDate: string; amount: string }>; unreadable: string[] } {
  const instalments: Array<{ dueDate: string; amount: string }> = [];
  const unreadable: string[] = [];
  for (const line of text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).slice(0, 200)) {
    const match = /^(\d{4}-\d{2}-\d{2})[\s;,]+€?\s*([0-9]+(?:[.,][0-9]{1,2})?)$/.exec(line);
    if (match) instalments.push({ dueDate: match[1]!, amount: match[2]!.replace(',', '.') });
    else unreadable.push(line);
  }
  return { instalments, unreadable };
}

/**
 * Step two of an arrangement: what will be sent, beside the outstanding amount as the ledger has
 * it today and the corporation's arrangement rules in force. The rules are applied by the track's
 * validator when the person accepts (a refusal names the rule and leaves no trace); the page shows
 * them, it does not apply them.
 */
export async function arrangementReview(req: Request, res: Response, csrf: string, caseId: string, text: string): Promise<Html> {
  const { instalments, unreadable } = readInstalments(text);
  const state = await callApi(req, res, 'GET', `/v1/cases/${encodeURIComponent(caseId)}`);
  if (state.status !== 200) return html`<p class="error">${refusalOf(state)}</p>`;
  const policy = await callApi(req, res, 'GET', `/v1/corporations/${encodeURIComponent(state.body.corporationId)}/policy`);
  const rules = policy.status === 200 ? policy.body.policy?.arrangement : null;
  return html`<div id="arrangement-check">
    ${unreadable.length ? html`<p class="error">Not read (use <code>YYYY-MM-DD amount</code>): ${unreadable.join(' | ')}</p>` : ''}
    <table><tr><th>due</th><th class="num">amount</th></tr>${instalments.map((i) => html`<tr><td>${i.dueDate}</td><td class="num">€ ${i.amount}</td></tr>`)}</table>
    <p>Outstanding today: <strong>€ ${state.body.balance?.outstanding ?? '?'}</strong> (the instalments must add up to it exactly).</p>
    ${rules
      ? html`<p>The policy's rules (version ${policy.body.version}): last instalment at most ${rules.maxMonths} months after the first; each instalment at least € ${rules.minInstalment} (the last may be smaller);
        ${rules.currentRentMustBePaid ? 'the current month’s rent paid first; ' : ''}at most ${rules.maxPerTwelveMonths} arrangements in 12 months; ${rules.graceDays} grace days per instalment.</p>`
      : html`<p class="error">The policy could not be read: ${refusalOf(policy)}</p>`}
    <form method="post" action="/ops/act/arrangement" hx-post="/ops/act/arrangement" hx-target="#arrangement-result">
      <input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="caseId" value="${caseId}">
      <input type="hidden" name="instalments" value="${JSON.stringify(instalments)}">
      <button id="accept-arrangement">Accept this arrangement</button></form><span id="arrangement-result"></span></div>`;
}
