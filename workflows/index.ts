/** The worker's bundle entry point: every workflow type the worker serves. */
export { collectionTrack } from './collection-track/collection-track.js';
