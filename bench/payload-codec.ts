import { type Payload } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EncryptionCodec } from '../shared/codec/encryption-codec.js';
import { newPayloadKeyEntry, parsePayloadKeys } from '../shared/codec/payload-keys.js';
import { projectRoot } from '../infra/paths.js';
import type { BenchFigure, BenchSection } from './harness/figure.js';

/**
 * The key the recorded histories were written under (test/support/payload-keys.ts derives the
 * same, fixed so histories replay): a test key that protects nothing, repeated here because bench
 * code does not import from test/.
 */
const recordedHistoryKeys = parsePayloadKeys(`test-1:${createHash('sha256').update('huurincasso test payload key test-1').digest('base64')}`);

/**
 * A typical TrackData: the state a track hands to its next run at continue-as-new (claims,
 * payments, letters, costs, a bailiff phase), taken from a recorded history.
 */
async function typicalTrackData(): Promise<Payload> {
  const file = join(projectRoot, 'test', 'replay', 'histories', 'track-bailiff-resumed-after-continue-as-new.json');
  type Recorded = { history: { events: { workflowExecutionStartedEventAttributes?: { input?: { payloads?: { metadata?: Record<string, string>; data: string }[] } } }[] } };
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as Recorded;
  // The run's arguments: the track's input, then the state carried over.
  const carried = recorded.history.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads!.at(-1)!;
  const payload: Payload = {
    metadata: Object.fromEntries(Object.entries(carried.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(carried.data, 'base64'),
  };
  const [plain] = await new EncryptionCodec(recordedHistoryKeys).decode([payload]);
  return plain!;
}

/** Encode+decode round trips of one TrackData payload through the AES-256-GCM codec, one at a time. */
export const payloadCodecSection: BenchSection = async ({ quick }) => {
  const rounds = quick ? 200 : 2_000;
  const codec = new EncryptionCodec(parsePayloadKeys(newPayloadKeyEntry('bench')));
  const payload = await typicalTrackData();
  const context = { type: 'workflow', namespace: 'default', workflowId: 'track/bench-corp/HC-1' } as const;
  for (let i = 0; i < 20; i++) await codec.decode(await codec.encode([payload], context));
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await codec.decode(await codec.encode([payload], context));
  const micros = ((performance.now() - start) * 1000) / rounds;
  const figures: BenchFigure[] = [
    {
      section: 'codec',
      name: 'TrackData encrypt+decrypt (AES-256-GCM)',
      value: Number(micros.toFixed(1)),
      unit: 'µs',
      // A workflow task carries a handful of payloads; 1 ms each would be felt in every start.
      goal: { atMost: 1000 },
      note: `${rounds} round trips of a ${payload.data!.length}-byte TrackData (a bailiff-phase track carried across continue-as-new), one at a time`,
    },
  ];
  return figures;
};
