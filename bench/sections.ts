import type { BenchSection } from './harness/figure.js';

/**
 * Every section of `npm run bench`, in the order they run. `npm run bench -- <name> ...` runs
 * only the named ones. Add a section with one line here.
 */
export const benchSections: ReadonlyArray<{ readonly name: string; readonly run: BenchSection }> = [
];
