import type { Response } from 'express';
import type { KeyAccess } from './auth.js';
import type { Reach } from './reach.js';
import type { Audit } from './requests/route-contract.js';

/**
 * The audit trail (AVG art. 5(2), 32): who (the person and the key) did or read what (the
 * route's operationId), when, on which case, for which corporation. mountRoute writes it for the
 * routes whose contract asks, after the handler succeeded and before the answer goes out, so an
 * answer never leaves without its entry.
 */

/** What a handler knows better than its scope: the case it opened, the corporations a list showed. */
export interface AuditNote {
  readonly caseId?: string | null;
  readonly corporationIds?: readonly string[];
  /** Ids and counts only: the trail holds no personal data of the tenant. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

export function noteAudit(res: Response, note: AuditNote): void {
  const previous = (res.locals.auditNote ?? {}) as AuditNote;
  res.locals.auditNote = { ...previous, ...note, detail: { ...previous.detail, ...note.detail } };
}

export const auditNoteOf = (res: Response): AuditNote => (res.locals.auditNote ?? {}) as AuditNote;

export interface AuditEntry {
  readonly kind: Exclude<Audit, 'none'>;
  readonly action: string;
  readonly status: number;
  /** The route's path parameters: ids only. */
  readonly params: unknown;
  readonly reach: Reach;
  readonly note: AuditNote;
}

/** One row per corporation the call concerns (each corporation's admin sees its own), or one without. */
export async function writeAudit({ caller, db }: KeyAccess, entry: AuditEntry): Promise<void> {
  const corporations = entry.note.corporationIds ?? entry.reach.corporationIds;
  const detail = JSON.stringify({ status: entry.status, ...(entry.params ? { params: entry.params } : {}), ...entry.note.detail });
  const row = {
    kind: entry.kind,
    action: entry.action,
    actor: caller.actor,
    person: caller.person,
    key_id: caller.keyId,
    case_id: entry.note.caseId ?? entry.reach.caseId,
    detail,
  };
  const rows = corporations.length > 0 ? [...new Set(corporations)].map((corporationId) => ({ ...row, corporation_id: corporationId })) : [{ ...row, corporation_id: null }];
  await db.insertInto('audit_log').values(rows).execute();
}
