import { segments } from '../../../shared/track/stages.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';

/** The running tracks a hold covers: one corporation's, narrowed to a segment or by a query. */
export interface HoldTarget {
  readonly corporationId: string;
  readonly segment: string | null;
  /** The canonical text formatHoldQuery built (query-language/formatter.ts), never the operator's own. */
  readonly query: string | null;
}

const quoted = (value: string) => `'${value}'`;

/**
 * The visibility query of the running tracks a hold covers. Ids and segments are checked by the
 * request schema; the extra filter is the canonical text formatHoldQuery built.
 */
export function holdVisibilityQuery(target: { corporationId: string; segment?: string | null; query?: string | null }): string {
  if (!idPartPattern.test(target.corporationId)) throw new Error(`not a corporation id: ${JSON.stringify(target.corporationId)}`);
  if (target.segment && !(segments as readonly string[]).includes(target.segment)) throw new Error(`not a segment: ${JSON.stringify(target.segment)}`);
  return [
    `WorkflowType = ${quoted('collectionTrack')}`,
    `ExecutionStatus = ${quoted('Running')}`,
    `CorporationId = ${quoted(target.corporationId)}`,
    ...(target.segment ? [`DebtorSegment = ${quoted(target.segment)}`] : []),
    ...(target.query ? [`(${target.query})`] : []),
  ].join(' AND ');
}
