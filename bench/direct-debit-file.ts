/**
 * A collection run as buildValidatedPain008 releases it: built with xmlbuilder2, checked against
 * the official XSD with xmllint-wasm (in a worker thread), control sums and mandate fields re-read.
 */
import { buildPain008 } from '../services/bank/pain008/build-pain008.js';
import type { Pain008Version } from '../services/bank/pain008/collection-file.js';
import { buildValidatedPain008 } from '../services/bank/pain008/validated-pain008.js';
import { validateAgainstSchema } from '../services/bank/xsd/validate-xml.js';
import { testCollectionFile, testDebits } from './harness/collection-files.js';
import type { BenchFigure, BenchSection } from './harness/figure.js';

/** The monthly run of a large corporation; the goal keeps its release to a minute (quick runs scale the goal to the count). */
const fullRun = 10_000;
const secondsPerFullRun = 60;

export const directDebitFileSection: BenchSection = async ({ quick }) => {
  const count = Number(process.env.BENCH_DEBITS ?? (quick ? 1_000 : fullRun));
  const version: Pain008Version = 'pain.008.001.08';
  const file = testCollectionFile(testDebits(count));
  // Warm-up: the JIT, and the XSD read from disk once.
  await buildValidatedPain008(testCollectionFile(testDebits(50)), version);
  let started = performance.now();
  const xml = buildPain008(file, version);
  const buildMs = performance.now() - started;
  started = performance.now();
  const schema = await validateAgainstSchema(xml, version);
  if (!schema.valid) throw new Error(`the benchmark's own file is invalid: ${schema.errors.slice(0, 3).join('; ')}`);
  const schemaMs = performance.now() - started;
  started = performance.now();
  await buildValidatedPain008(file, version);
  const seconds = (performance.now() - started) / 1000;
  const goal = (secondsPerFullRun * count) / fullRun;
  const figures: BenchFigure[] = [
    {
      section: 'direct debit',
      name: `pain.008 of ${count.toLocaleString('en-US')} debits built + validated`,
      value: Number(seconds.toFixed(2)),
      unit: 's',
      goal: { atMost: goal },
      note: `${version}, ${(Buffer.byteLength(xml) / 2 ** 20).toFixed(1)} MB: build ${Math.round(buildMs)} ms, XSD ${Math.round(schemaMs)} ms, the rest sums and mandate checks; ${Math.round(count / seconds)} debits/s${quick ? ' (quick: goal scaled from 10,000 in 60 s)' : ''}`,
    },
  ];
  return figures;
};
