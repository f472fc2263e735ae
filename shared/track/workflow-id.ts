/**
 * Track ids are readable in the Temporal UI and deterministic, so a repeated start from billing
 * lands on the same track. They hold the corporation and contract reference only: never a name,
 * address or other personal data (ids are not encrypted by the payload codec).
 */
export const idPartPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export function trackWorkflowId(corporationId: string, contractRef: string): string {
  for (const part of [corporationId, contractRef]) {
    if (!idPartPattern.test(part)) throw new Error(`not a valid id part: ${JSON.stringify(part)}`);
  }
  return `track-${corporationId}-${contractRef}`;
}
