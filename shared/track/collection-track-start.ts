import type { CollectionTrackInput } from './track-input.js';
import type { ClosedTrack } from './track-status.js';

/**
 * The collection track as those who start it see it (the API's intake and the worker's hand-over
 * of an unpaid advance): its input, and a closed run's state carried opaquely into a new cycle
 * (the workflow itself reads it as its TrackData). Starters name the workflow by this type rather
 * than importing the workflow module, so intake stays below the workflows.
 */
export type CollectionTrackStart = (input: CollectionTrackInput, carried?: ClosedTrack['carry']) => Promise<ClosedTrack>;

export const collectionTrackWorkflowType = 'collectionTrack';
