import type { SerializationContext } from '@temporalio/common';
import { idPartPattern } from '../track/workflow-id.js';

/**
 * The corporation a payload belongs to, read from the id of the workflow that owns it: every
 * workflow of the system is a track (`track/<corporationId>/<contractRef>`) or a child under a
 * track's id, and the SDK names that workflow in the serialization context of each payload it
 * encodes (start, signal, update, query, result, activity, child, memo, failure).
 *
 * None where the owner cannot be told: no context (a batch signal to many tracks), or a track of
 * the old id format (`track-<corporationId>-<contractRef>`, where both parts may hold '-').
 */
export function corporationOfPayload(context: SerializationContext | undefined): string | undefined {
  const workflowId = context?.workflowId;
  if (!workflowId) return undefined;
  const match = /^track\/([^/]+)\//.exec(workflowId);
  return match && idPartPattern.test(match[1]!) ? match[1] : undefined;
}
