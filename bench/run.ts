import { benchDirectDebitFile, formatDirectDebitFileBench } from './direct-debit-file.js';
import { benchLegalCore } from './legal-core.js';
import { benchLetterRendering } from './letter-rendering.js';
import { benchPayloadCodec } from './payload-codec.js';
import { benchTrackThroughput } from './track-throughput.js';

/**
 * `npm run bench`: speed and memory, measured (never asserted in tests). BENCH_TRACKS and
 * BENCH_CONCURRENCY size the end-to-end part, BENCH_DEBITS the direct-debit run (10,000).
 */
console.log('legal core (per call, one core):');
for (const r of benchLegalCore()) console.log(`  ${r.name.padEnd(52)} ${String(r.opsPerSecond).padStart(9)} ops/s  ${String(r.microsPerOp).padStart(8)} µs/op`);

const letters = await benchLetterRendering(200);
console.log(`\nletters (14-day letter, PDF/A-2b, one core): ${letters.lettersPerSecond} rendered/s (${letters.msPerLetter} ms each), ${letters.bytes} bytes, ${letters.pages} page(s)`);

const codec = await benchPayloadCodec(100);
console.log(`\npayload codec (AES-256-GCM): ${codec.roundTrips} encode+decode of a ${codec.payloadBytes}-byte TrackData in ${codec.totalMs} ms (${codec.microsPerRoundTrip} µs each)`);

const debits = Number(process.env.BENCH_DEBITS ?? (process.argv.includes('--quick') ? 1_000 : 10_000));
console.log(`\ndirect-debit run (pain.008 built with xmlbuilder2, validated against the official XSD with xmllint-wasm in a worker thread):`);
console.log(formatDirectDebitFileBench(await benchDirectDebitFile(debits)));

const tracks = Number(process.env.BENCH_TRACKS ?? 200);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
console.log(`\ntracks through the HTTP API on a local Temporal dev server (${tracks} tracks, ${concurrency} concurrent requests):`);
const result = await benchTrackThroughput(tracks, concurrency);
console.log(JSON.stringify(result, null, 2));
