/**
 * A collection run of N debits (default 10,000) as buildValidatedPain008 releases it: built with
 * xmlbuilder2, checked against the official XSD with xmllint-wasm, control sums and mandate fields
 * re-read. Reports each phase, the whole in seconds, and debits per second, for both versions.
 * `npx tsx bench/direct-debit-file.ts [count]`
 */
import { buildPain008 } from '../services/bank/pain008/build-pain008.js';
import { checkSepaRules } from '../services/bank/pain008/check-sepa-rules.js';
import type { Pain008Version } from '../services/bank/pain008/collection-file.js';
import { buildValidatedPain008 } from '../services/bank/pain008/validated-pain008.js';
import { validateAgainstSchema } from '../services/bank/xsd/validate-xml.js';
import { testCollectionFile, testDebits } from '../test/support/collection-files.js';

export interface DirectDebitFileBench {
  readonly version: Pain008Version;
  readonly debits: number;
  readonly megabytes: number;
  readonly buildMs: number;
  readonly schemaMs: number;
  readonly rulesMs: number;
  /** buildValidatedPain008 end to end, measured on its own run. */
  readonly seconds: number;
  readonly debitsPerSecond: number;
  /** CPU time of the process (main thread and the validator's worker) for the same run: less noisy on a shared machine. */
  readonly cpuSeconds: number;
  readonly buildCpuSeconds: number;
  readonly schemaCpuSeconds: number;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return Number(((used.user + used.system) / 1e6).toFixed(2));
}

export async function benchDirectDebitFile(count = 10_000, versions: readonly Pain008Version[] = ['pain.008.001.08', 'pain.008.001.02']): Promise<DirectDebitFileBench[]> {
  const file = testCollectionFile(testDebits(count));
  // Warm-up: the JIT, and the XSD read from disk once.
  await buildValidatedPain008(testCollectionFile(testDebits(50)), versions[0]!);
  const results: DirectDebitFileBench[] = [];
  for (const version of versions) {
    let started = performance.now();
    let cpuStart = process.cpuUsage();
    const xml = buildPain008(file, version);
    const buildMs = performance.now() - started;
    const buildCpu = cpuSecondsSince(cpuStart);
    started = performance.now();
    cpuStart = process.cpuUsage();
    const schema = await validateAgainstSchema(xml, version);
    if (!schema.valid) throw new Error(`the benchmark's own file is invalid: ${schema.errors.slice(0, 3).join('; ')}`);
    const schemaMs = performance.now() - started;
    const schemaCpu = cpuSecondsSince(cpuStart);
    started = performance.now();
    if (checkSepaRules(xml).length > 0) throw new Error('the benchmark file does not add up');
    const rulesMs = performance.now() - started;
    started = performance.now();
    cpuStart = process.cpuUsage();
    await buildValidatedPain008(file, version);
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpuSecondsSince(cpuStart);
    results.push({
      version,
      debits: count,
      megabytes: Number((Buffer.byteLength(xml) / 2 ** 20).toFixed(1)),
      buildMs: Math.round(buildMs),
      schemaMs: Math.round(schemaMs),
      rulesMs: Math.round(rulesMs),
      seconds: Number(seconds.toFixed(2)),
      debitsPerSecond: Math.round(count / seconds),
      cpuSeconds,
      buildCpuSeconds: buildCpu,
      schemaCpuSeconds: schemaCpu,
    });
  }
  return results;
}

export function formatDirectDebitFileBench(results: readonly DirectDebitFileBench[]): string {
  return results
    .map((r) => `  ${r.version}: ${r.debits} debits (${r.megabytes} MB) built and validated in ${r.seconds} s = ${r.debitsPerSecond} debits/s (${r.cpuSeconds} s CPU)  [build ${r.buildMs} ms (${r.buildCpuSeconds} s CPU), XSD ${r.schemaMs} ms (${r.schemaCpuSeconds} s CPU), sums and mandates ${r.rulesMs} ms]`)
    .join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatDirectDebitFileBench(await benchDirectDebitFile(Number(process.argv[2] ?? 10_000))));
}
