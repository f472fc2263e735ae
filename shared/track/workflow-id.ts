/**
 * Workflow ids: readable in the Temporal UI and deterministic, so a repeated start from billing
 * lands on the same track. They hold the corporation and contract reference only: never a name,
 * address or other personal data (ids are not encrypted by the payload codec).
 *
 * The parts are joined with '/', which idPartPattern forbids inside a part, so two contracts can
 * never share an id and no contract reference can take the shape of a child's id. Tracks recorded
 * before (`track-<corporationId>-<contractRef>`, kept in collection_case.workflow_id) keep their
 * ids, and so do their children.
 */
export const idPartPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export function trackWorkflowId(corporationId: string, contractRef: string): string {
  for (const part of [corporationId, contractRef]) {
    if (!idPartPattern.test(part)) throw new Error(`not a valid id part: ${JSON.stringify(part)}`);
  }
  return `track/${corporationId}/${contractRef}`;
}

/**
 * The bailiff phase of a track. Read from the track's id, so a track of the old format starts (and
 * replays) its child under the old `-bailiff` suffix.
 */
export function bailiffPhaseWorkflowId(trackWorkflowId: string): string {
  return trackWorkflowId.startsWith('track/') ? `${trackWorkflowId}/bailiff` : `${trackWorkflowId}-bailiff`;
}
