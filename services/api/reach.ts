/** What a call concerns, once its scope is checked (key-scope.ts): for the audit trail. */
export interface Reach {
  readonly corporationIds: readonly string[];
  readonly caseId: string | null;
}

export const noReach: Reach = { corporationIds: [], caseId: null };
