import type { Request, Response } from 'express';
import { callApi, type ApiAnswer } from './api-call.js';
import { html, type Html } from './html.js';

type Form = Record<string, unknown>;

/** A form field as the API expects it: absent when empty, so the route's schema says what is missing. */
const field = (form: Form, name: string): string | undefined => {
  const value = form[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};
const defined = (object: Record<string, unknown>) => Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
// A field of '.' or '..' would climb out of its route (URLs resolve dot segments, encoded or not):
// sent as an id no route holds, so the API answers it as the unknown id it is.
const segment = (value: string | undefined) => (/^\.{1,2}$/.test(value ?? '') ? '...' : encodeURIComponent(value ?? ''));

interface ApiRequest {
  readonly method: 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  /** What the person did, in the confirmation. */
  readonly done: (answer: ApiAnswer) => string;
}

/**
 * Each action of the page as the JSON API call it is: the form's fields become the route's body
 * unchanged (empty ones left out). Whether it is allowed, valid, of the person's corporations, or
 * a second person's approval is the route's and the track's to say.
 */
export const actions: Record<string, (form: Form) => ApiRequest> = {
  'task-outcome': (f) => ({
    method: 'POST',
    path: `/v1/tasks/${segment(field(f, 'taskId'))}/outcome`,
    body: defined({ outcome: field(f, 'outcome'), promisedOn: field(f, 'outcome') === 'promise_to_pay' ? field(f, 'promisedOn') : undefined, note: field(f, 'note') }),
    done: (a) => `recorded: ${a.body?.outcome ?? ''}`,
  }),
  'confirm-segment': (f) => ({
    method: 'POST',
    path: `/v1/cases/${segment(field(f, 'caseId'))}/segment`,
    body: defined({ segment: field(f, 'segment') }),
    done: (a) => `segment ${a.body?.segment ?? ''} confirmed`,
  }),
  'register-exception': (f) => ({
    method: 'POST',
    path: `/v1/cases/${segment(field(f, 'caseId'))}/exceptions`,
    body: defined({ kind: field(f, 'kind'), since: field(f, 'since'), note: field(f, 'note') }),
    done: (a) => (a.body?.added ? `registered; the track is ${a.body.stage}` : 'already registered: nothing changed'),
  }),
  'resolve-exception': (f) => ({
    method: 'DELETE',
    path: `/v1/cases/${segment(field(f, 'caseId'))}/exceptions/${segment(field(f, 'kind'))}?outcome=${segment(field(f, 'outcome') ?? 'resume')}`,
    done: (a) => `resolved; the track is ${a.body?.stage ?? ''}${a.body?.proposalId ? ' (write-off proposed: a second person approves)' : ''}`,
  }),
  propose: (f) => ({
    method: 'POST',
    path: `/v1/cases/${segment(field(f, 'caseId'))}/proposals`,
    body: defined({ decision: field(f, 'decision') }),
    done: (a) => `${a.body?.decision ?? ''} proposed: another person approves`,
  }),
  approve: (f) => ({
    method: 'POST',
    path: `/v1/cases/${segment(field(f, 'caseId'))}/approvals`,
    body: defined({ decision: field(f, 'decision'), proposalId: field(f, 'proposalId') }),
    done: (a) => `${a.body?.decision ?? ''} approved`,
  }),
  arrangement: (f) => {
    let instalments: unknown;
    try {
      instalments = JSON.parse(field(f, 'instalments') ?? 'null');
    } catch {
      instalments = null;
    }
    return {
      method: 'POST',
      path: `/v1/cases/${segment(field(f, 'caseId'))}/arrangements`,
      body: { instalments },
      done: (a) => `arrangement accepted: € ${a.body?.total ?? ''} from ${a.body?.firstDueDate ?? ''} to ${a.body?.lastDueDate ?? ''}`,
    };
  },
  'bank-entry': (f) => ({
    method: 'POST',
    path: `/v1/bank/unmatched/${segment(field(f, 'entryId'))}`,
    body: field(f, 'action') ? { action: field(f, 'action') } : defined({ caseId: field(f, 'caseId') }),
    done: (a) => `settled: ${a.body?.fate ?? ''}`,
  }),
};

/** Runs an action as the signed-in person and says how it went (the API's refusal as it gave it). */
export async function runAction(req: Request, res: Response, name: string, form: Form): Promise<{ status: number; fragment: Html }> {
  const make = actions[name];
  if (!make) return { status: 404, fragment: html`<span class="error">no such action</span>` };
  const request = make(form);
  const answer = await callApi(req, res, request.method, request.path, request.body);
  if (answer.status < 400) return { status: 200, fragment: html`<span class="ok" role="status">${request.done(answer)}</span>` };
  const error = answer.body?.error;
  const details = Array.isArray(error?.details) ? (error.details as Array<{ path?: unknown[]; message?: string }>).filter((d) => d && typeof d.message === 'string') : [];
  return {
    // 200 for htmx to swap it in; the API's status is in the text and on data-status.
    status: 200,
    fragment: html`<span class="error" role="alert" data-status="${answer.status}">${error ? `${error.code}: ${error.message}` : `the API answered ${answer.status}`}${
      details.length ? html`<ul>${details.map((d) => html`<li>${(d.path ?? []).join('.')}: ${d.message}</li>`)}</ul>` : ''
    }</span>`,
  };
}
