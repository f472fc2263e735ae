import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { newPayloadKeyEntry, payloadKeysSchema } from '../shared/codec/payload-keys.js';

/**
 * PAYLOAD_KEYS for `npm start`, made once and kept in data/ (readable by the owner only): the dev
 * server keeps its tracks across restarts, so their payloads must stay readable. To rotate, put a
 * new key in front of the line (`npm start` reads it as it stands) and keep the old ones.
 */
export function ensureDevPayloadKeys(file: string): string {
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (payloadKeysSchema.safeParse(kept).success) return kept;
    throw new Error(`${file} does not hold valid PAYLOAD_KEYS (id:base64key,…); fix it, or move it away only if no track written with it is to be read again`);
  }
  const keys = newPayloadKeyEntry('dev-1');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${keys}\n`, { mode: 0o600 });
  return keys;
}
