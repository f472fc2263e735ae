/**
 * Libraries loaded once per worker thread and shared by every workflow in it
 * (workflowBundleOptions.preloadModules). With reused V8 contexts the SDK evaluates a workflow's
 * modules afresh for each workflow it creates, and zod's own were a third of a track's workflow
 * time (bench/intake.ts, docs/performance.md). zod keeps no per-workflow state; our schemas are
 * still made per workflow by our own modules.
 */
import { z } from 'zod';

// The SDK freezes what is preloaded. zod sets its defaults (the English messages, a memoizer) on
// the first schema it makes and parse it runs: done here, before the freeze, not in a workflow.
z.object({ preloaded: z.string().min(1) }).safeParse({ preloaded: 1 });

export { z };
