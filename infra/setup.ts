import { ensureTemporalBinary, temporalCli, temporalTestServer } from './temporal/binaries.js';

/**
 * `npm run setup`: everything a fresh clone needs beyond `npm ci`. Safe to repeat.
 * A binary that cannot be installed is not fatal here: the SDK then downloads its own
 * (which works on machines with internet) and says so loudly if it cannot.
 */
const log = (line: string) => console.log(`[setup] ${line}`);
for (const binary of [temporalCli, temporalTestServer]) {
  const path = ensureTemporalBinary(binary, log);
  log(path ? `${binary.command}: ${path}` : `${binary.command}: not found, the Temporal SDK will download it`);
}
