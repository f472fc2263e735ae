import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EncryptionCodec } from '../shared/codec/encryption-codec.js';
import { newPayloadKeyEntry, parsePayloadKeys } from '../shared/codec/payload-keys.js';
import { projectRoot } from '../infra/paths.js';

export interface CodecResult {
  readonly payloadBytes: number;
  readonly roundTrips: number;
  readonly totalMs: number;
  readonly microsPerRoundTrip: number;
}

/**
 * A typical TrackData: the state a track hands to its next run at continue-as-new (claims,
 * payments, letters, costs, a bailiff phase), taken from a recorded history.
 */
function typicalTrackData(): Payload {
  const file = join(projectRoot, 'test', 'replay', 'histories', 'track-bailiff-resumed-after-continue-as-new.json');
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as { history: { events: { workflowExecutionStartedEventAttributes?: { input?: { payloads?: { data: string }[] } } }[] } };
  // The run's arguments: the track's input, then the state carried over.
  const carried = recorded.history.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads!.at(-1)!.data;
  return defaultPayloadConverter.toPayload(JSON.parse(Buffer.from(carried, 'base64').toString('utf8')))!;
}

/** `rounds` encode+decode round trips of one TrackData payload through the AES-256-GCM codec, one at a time. */
export async function benchPayloadCodec(rounds = 100): Promise<CodecResult> {
  const codec = new EncryptionCodec(parsePayloadKeys(newPayloadKeyEntry('bench')));
  const payload = typicalTrackData();
  const context = { type: 'workflow', namespace: 'default', workflowId: 'track/bench-corp/HC-1' } as const;
  for (let i = 0; i < 20; i++) await codec.decode(await codec.encode([payload], context));
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await codec.decode(await codec.encode([payload], context));
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  return { payloadBytes: payload.data!.length, roundTrips: rounds, totalMs: Number(totalMs.toFixed(2)), microsPerRoundTrip: Number(((totalMs * 1000) / rounds).toFixed(1)) };
}
