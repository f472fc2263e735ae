import { corporationMetadata, encryptedEncoding } from '../../../shared/codec/encryption-codec.js';
import { forbidden, holdsCorporation, isPlatformAdmin, type Caller } from '../auth.js';
import type { CodecPayload } from '../requests/codec.js';

const metadataText = (payload: CodecPayload, key: string) => {
  const value = (payload.metadata as Record<string, string | undefined>)[key];
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
};

/**
 * Whose payloads a codec request asks to decrypt, and whether the key may: each encrypted payload
 * names its track's corporation (written by the codec from the owning workflow's id and bound to
 * the ciphertext, so it cannot be changed to pass here). A payload of a corporation the key does
 * not hold is refused, and one of no corporation (a batch signal, a track of the old id format,
 * one encoded by hand) needs a key that holds them all: a platform admin's. Plain payloads are
 * the caller's own to read.
 *
 * Returns the corporations concerned, for the audit trail.
 */
export function payloadCorporationsHeld(caller: Caller, payloads: readonly CodecPayload[]): string[] {
  const corporations = new Set<string>();
  for (const payload of payloads) {
    if (metadataText(payload, 'encoding') !== encryptedEncoding) continue;
    const corporationId = metadataText(payload, corporationMetadata);
    if (corporationId === undefined) {
      if (!isPlatformAdmin(caller)) throw forbidden('a payload of no particular corporation: a platform admin key only');
      continue;
    }
    if (!holdsCorporation(caller, corporationId)) throw forbidden('a payload of a corporation this key does not hold');
    corporations.add(corporationId);
  }
  return [...corporations];
}
