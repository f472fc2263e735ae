import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import proto from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { corporationOfPayload } from './payload-corporation.js';
import type { PayloadKeyring } from './payload-keys.js';

export const encryptedEncoding = 'binary/encrypted';
/** Metadata of an encrypted payload; plain, so they must hold ids only. */
export const keyIdMetadata = 'encryption-key-id';
export const corporationMetadata = 'encryption-corporation';

// A CommonJS package whose named exports Node's ESM loader cannot see: its default export it can.
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

const ivBytes = 12;
const tagBytes = 16;
const text = new TextEncoder();
const utf8 = new TextDecoder();

const metadataText = (payload: Payload, key: string): string | undefined => {
  const value = payload.metadata?.[key];
  return value ? utf8.decode(value) : undefined;
};

export const isEncrypted = (payload: Payload) => metadataText(payload, 'encoding') === encryptedEncoding;

/** The corporation an encrypted payload was written for, as its metadata says (checked on decryption). */
export const payloadCorporation = (payload: Payload) => metadataText(payload, corporationMetadata);

/**
 * The key id and the corporation are bound to the ciphertext as associated data: a payload whose
 * corporation tag was changed (to pass the codec endpoint's check) no longer decrypts.
 */
const associatedData = (keyId: string, corporationId: string | undefined) => text.encode(`huurincasso-payload/v1/${keyId}/${corporationId ?? ''}`);

export class PayloadDecryptionError extends Error {}

/**
 * AES-256-GCM over each whole payload (its metadata and data, protobuf-encoded, as Temporal's
 * samples do), with a random 12-byte IV per payload: `data` = IV ‖ ciphertext ‖ tag. Runs in the
 * client and in the worker outside the workflow sandbox, so node:crypto is at hand.
 *
 * A payload without the encrypted encoding passes through decode unchanged, so histories recorded
 * before encryption still replay and a running track written in plain keeps running.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeyring) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const corporationId = corporationOfPayload(context);
    return payloads.map((payload) => this.encrypt(payload, corporationId));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  /** Encrypts one payload for a corporation (none: readable only with access to every corporation). */
  encrypt(payload: Payload, corporationId: string | undefined): Payload {
    const { id, key } = this.keys.current;
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
    cipher.setAAD(associatedData(id, corporationId));
    const plain = PayloadMessage.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        encoding: text.encode(encryptedEncoding),
        [keyIdMetadata]: text.encode(id),
        ...(corporationId ? { [corporationMetadata]: text.encode(corporationId) } : {}),
      },
      data,
    };
  }

  decrypt(payload: Payload): Payload {
    const keyId = metadataText(payload, keyIdMetadata);
    const key = keyId ? this.keys.find(keyId) : undefined;
    if (!key) throw new PayloadDecryptionError(`payload encrypted with key ${keyId ?? '(none named)'}, which PAYLOAD_KEYS does not hold`);
    const data = payload.data ?? new Uint8Array();
    if (data.length < ivBytes + tagBytes) throw new PayloadDecryptionError('encrypted payload too short');
    const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(0, ivBytes), { authTagLength: tagBytes });
    decipher.setAAD(associatedData(key.id, payloadCorporation(payload)));
    decipher.setAuthTag(data.subarray(data.length - tagBytes));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(ivBytes, data.length - tagBytes)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(`encrypted payload fails authentication under key ${key.id} (altered, or a wrong key under that id)`);
    }
    return PayloadMessage.decode(plain);
  }
}
