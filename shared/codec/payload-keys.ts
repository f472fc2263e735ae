import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { z } from 'zod';

/** AES-256: 32 bytes of key. */
export const payloadKeyBytes = 32;
/** A key id travels in every payload's metadata in plain: short, and nothing but an id. */
const keyIdPattern = /^[A-Za-z0-9._-]{1,64}$/;
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface PayloadKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * The keys workflow payloads are encrypted with, newest first: new payloads use the newest, and
 * every key still listed decrypts what was written with it. Rotation is adding a key in front
 * and keeping the old ones until no running history holds payloads of theirs.
 */
export class PayloadKeyring {
  private readonly byId: ReadonlyMap<string, PayloadKey>;

  constructor(readonly keys: readonly PayloadKey[]) {
    if (keys.length === 0) throw new Error('a payload keyring needs at least one key');
    this.byId = new Map(keys.map((k) => [k.id, k]));
  }

  get current(): PayloadKey {
    return this.keys[0]!;
  }

  find(id: string): PayloadKey | undefined {
    return this.byId.get(id);
  }

  // Key material must never reach a log line, an error message or a console.log of the config.
  [inspect.custom]() {
    return `PayloadKeyring(${this.keys.map((k) => k.id).join(', ')})`;
  }

  toJSON() {
    return { keyIds: this.keys.map((k) => k.id) };
  }
}

/**
 * PAYLOAD_KEYS: `id:base64key` pairs separated by commas, newest first, e.g.
 * `k2:<32 bytes base64>,k1:<32 bytes base64>`. Messages name the entry, never its key.
 */
export const payloadKeysSchema = z.string().transform((text, ctx) => {
  const keys: PayloadKey[] = [];
  const entries = text.split(',').map((entry) => entry.trim());
  for (const [index, entry] of entries.entries()) {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    const encoded = separator > 0 ? entry.slice(separator + 1) : '';
    const problem = !keyIdPattern.test(id)
      ? 'expected id:base64key, the id of letters, digits, . _ - (max 64)'
      : !base64Pattern.test(encoded) || Buffer.from(encoded, 'base64').length !== payloadKeyBytes
        ? `the key of ${id} is not ${payloadKeyBytes} bytes in base64`
        : keys.some((k) => k.id === id)
          ? `key id ${id} is listed twice`
          : undefined;
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `entry ${index + 1}: ${problem}` });
      return z.NEVER;
    }
    keys.push({ id, key: Buffer.from(encoded, 'base64') });
  }
  return new PayloadKeyring(keys);
});

export function parsePayloadKeys(text: string): PayloadKeyring {
  return payloadKeysSchema.parse(text);
}

/** A fresh key in PAYLOAD_KEYS's spelling, for a development stack or a rotation. */
export function newPayloadKeyEntry(id: string): string {
  if (!keyIdPattern.test(id)) throw new Error(`not a valid key id: ${id}`);
  return `${id}:${randomBytes(payloadKeyBytes).toString('base64')}`;
}
