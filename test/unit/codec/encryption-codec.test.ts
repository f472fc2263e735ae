import { ApplicationFailure, defaultPayloadConverter, type Payload, type SerializationContext } from '@temporalio/common';
import { decodeFailure, encodeErrorToFailure, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { encryptedDataConverter } from '../../../shared/codec/data-converter.js';
import { EncryptionCodec, PayloadDecryptionError, corporationMetadata, encryptedEncoding, keyIdMetadata } from '../../../shared/codec/encryption-codec.js';
import { newPayloadKeyEntry, parsePayloadKeys } from '../../../shared/codec/payload-keys.js';
import { corporationOfPayload } from '../../../shared/codec/payload-corporation.js';

const k1 = newPayloadKeyEntry('k1');
const k2 = newPayloadKeyEntry('k2');
const text = (bytes: Uint8Array | null | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());
const meta = (payload: Payload, key: string) => text(payload.metadata?.[key]);
const trackContext = (workflowId: string): SerializationContext => ({ type: 'workflow', namespace: 'default', workflowId });

/** What a track's state looks like in a payload: amounts and references in JSON. */
const trackData = { caseId: 'c1fda47b-e1a2-44cd-b3d7-8843b3e0a9ab', claims: [{ invoiceRef: 'HC-2026-10', amount: '812.50', dueDate: '2026-10-22' }] };
const plainPayload = () => defaultPayloadConverter.toPayload(trackData)!;

describe('the AES-256-GCM payload codec', () => {
  it('encrypts each payload under the newest key with its own IV, and decrypts it back', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(`${k2},${k1}`));
    const [first, second] = await codec.encode([plainPayload(), plainPayload()], trackContext('track/corp-a/HC-1'));
    for (const encrypted of [first!, second!]) {
      expect(meta(encrypted, 'encoding')).toBe(encryptedEncoding);
      expect(meta(encrypted, keyIdMetadata)).toBe('k2');
      expect(Buffer.from(encrypted.data!).toString('latin1')).not.toContain('812.50');
      expect(Buffer.from(encrypted.data!).toString('latin1')).not.toContain('json/plain');
    }
    // A random IV: the same value never encrypts to the same bytes.
    expect(Buffer.from(first!.data!).subarray(0, 12)).not.toEqual(Buffer.from(second!.data!).subarray(0, 12));
    const [decoded] = await codec.decode([first!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(trackData);
    expect(meta(decoded!, 'encoding')).toBe('json/plain');
  });

  it('rotates: payloads written under k1 still decrypt once PAYLOAD_KEYS is "k2,k1", and new ones use k2', async () => {
    const before = new EncryptionCodec(parsePayloadKeys(k1));
    const [old] = await before.encode([plainPayload()]);
    expect(meta(old!, keyIdMetadata)).toBe('k1');

    const after = new EncryptionCodec(parsePayloadKeys(`${k2},${k1}`));
    expect(defaultPayloadConverter.fromPayload((await after.decode([old!]))[0]!)).toEqual(trackData);
    const [fresh] = await after.encode([plainPayload()]);
    expect(meta(fresh!, keyIdMetadata)).toBe('k2');

    // Dropping k1 too early is an error that names the key, never a silent plain pass.
    const withoutK1 = new EncryptionCodec(parsePayloadKeys(k2));
    await expect(withoutK1.decode([old!])).rejects.toThrow(PayloadDecryptionError);
    await expect(withoutK1.decode([old!])).rejects.toThrow(/key k1/);
    // Another key under the same id fails authentication.
    const impostor = new EncryptionCodec(parsePayloadKeys(newPayloadKeyEntry('k1')));
    await expect(impostor.decode([old!])).rejects.toThrow(/fails authentication/);
  });

  it('passes payloads without the encrypted encoding through unchanged (recorded plain histories replay)', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(k1));
    const plain = plainPayload();
    const nothing = defaultPayloadConverter.toPayload(undefined)!;
    expect(await codec.decode([plain, nothing])).toEqual([plain, nothing]);
    expect(await codec.encode([])).toEqual([]);
  });

  it("tags a payload with its track's corporation, bound to the ciphertext so the tag cannot be changed", async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(k1));
    const [tagged] = await codec.encode([plainPayload()], trackContext('track/corp-a/HC-1/arrangement/a-1'));
    expect(meta(tagged!, corporationMetadata)).toBe('corp-a');
    const [untagged] = await codec.encode([plainPayload()]);
    expect(untagged!.metadata![corporationMetadata]).toBeUndefined();

    const retagged: Payload = { ...tagged!, metadata: { ...tagged!.metadata, [corporationMetadata]: new TextEncoder().encode('corp-b') } };
    await expect(codec.decode([retagged])).rejects.toThrow(/fails authentication/);
    const stripped: Payload = { ...tagged!, metadata: { encoding: tagged!.metadata!.encoding!, [keyIdMetadata]: tagged!.metadata![keyIdMetadata]! } };
    await expect(codec.decode([stripped])).rejects.toThrow(/fails authentication/);
  });

  it('reads the corporation from the owning workflow id: tracks and their children; none for old ids or no context', () => {
    expect(corporationOfPayload(trackContext('track/woonstad-zuid/HC-1'))).toBe('woonstad-zuid');
    expect(corporationOfPayload(trackContext('track/woonstad-zuid/HC-1/bailiff'))).toBe('woonstad-zuid');
    expect(corporationOfPayload({ type: 'activity', namespace: 'default', workflowId: 'track/corp-a/HC-1', isLocal: false })).toBe('corp-a');
    expect(corporationOfPayload(trackContext('track-woonstad-zuid-HC-1'))).toBeUndefined();
    expect(corporationOfPayload({ type: 'activity', namespace: 'default', isLocal: true })).toBeUndefined();
    expect(corporationOfPayload(undefined)).toBeUndefined();
  });
});

describe("the data converter's failures", () => {
  it('carry their message and stack trace in an encrypted payload, not in plain', async () => {
    const converter = loadDataConverter(encryptedDataConverter(parsePayloadKeys(k1)));
    const error = ApplicationFailure.nonRetryable('payment of 812.50 by J. Jansen refused', 'Refused');
    // What the worker and the client send: converted, then run through the codec.
    const wire = await encodeErrorToFailure(converter, error);
    expect(wire.message).toBe('Encoded failure');
    expect(wire.stackTrace).toBe('');
    expect(meta(wire.encodedAttributes!, 'encoding')).toBe(encryptedEncoding);
    expect(Buffer.from(wire.encodedAttributes!.data!).toString('latin1')).not.toContain('812.50');

    const back = converter.failureConverter.failureToError(await decodeFailure(converter.payloadCodecs, wire), converter.payloadConverter);
    expect(back.message).toBe('payment of 812.50 by J. Jansen refused');
  });
});

describe('PAYLOAD_KEYS', () => {
  it('reads id:base64 pairs, newest first', () => {
    const keys = parsePayloadKeys(` ${k2} , ${k1}`);
    expect(keys.current.id).toBe('k2');
    expect(keys.find('k1')?.key).toHaveLength(32);
    expect(keys.find('k3')).toBeUndefined();
  });

  it('refuses a malformed list with a message that names the entry and never shows a key', () => {
    const secret = k1.split(':')[1]!;
    const shortKey = `k3:${Buffer.alloc(16, 7).toString('base64')}`;
    for (const [value, message] of [
      ['', /entry 1: expected id:base64key/],
      [`${k1},${k1}`, /entry 2: key id k1 is listed twice/],
      [`k1:${secret.slice(0, -4)}`, /entry 1: the key of k1 is not 32 bytes/],
      [`${k1},${shortKey}`, /entry 2: the key of k3 is not 32 bytes/],
      [secret, /entry 1: expected id:base64key/],
      [`k 1:${secret}`, /entry 1: expected id:base64key/],
    ] as const) {
      let thrown: unknown;
      try {
        parsePayloadKeys(value);
      } catch (error) {
        thrown = error;
      }
      expect(String((thrown as Error)?.message), value).toMatch(message);
      expect(String((thrown as Error)?.message)).not.toContain(secret);
    }
  });

  it('never prints its key material', () => {
    const keys = parsePayloadKeys(`${k2},${k1}`);
    const shown = `${inspect(keys)} ${JSON.stringify(keys)} ${inspect({ config: keys }, { depth: 5 })}`;
    expect(shown).toContain('k2');
    for (const entry of [k1, k2]) expect(shown).not.toContain(entry.split(':')[1]!);
  });
});
