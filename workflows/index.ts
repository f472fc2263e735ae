/** The worker's bundle entry point: every workflow type the worker serves. */
export { bailiffPhase } from './bailiff-phase/bailiff-phase.js';
export { collectionTrack } from './collection-track/collection-track.js';
export { arrangementMonitor } from './arrangement-monitor/arrangement-monitor.js';
export { retention } from './retention/retention.js';
export { collectionRuns } from './collection-runs/collection-runs.js';
export { advanceAccount } from './advance-account/advance-account.js';
/** The benchmark's yardstick: served by the same worker so the bench compares like with like. */
export { benchBaseline } from './bench-baseline/bench-baseline.js';
