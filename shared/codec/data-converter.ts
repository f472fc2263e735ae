import type { DataConverter } from '@temporalio/common';
import { fileURLToPath } from 'node:url';
import { EncryptionCodec } from './encryption-codec.js';
import type { PayloadKeyring } from './payload-keys.js';

/** Give this to bundleWorkflowCode too: workflow failures are converted inside the sandbox. */
export const failureConverterPath = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/**
 * The data converter of every Client and Worker of the system: payloads (inputs, results,
 * signals, updates, queries, memos, failure details and messages) encrypted with the keyring.
 * Search attributes do not pass through codecs: they stay plain and hold ids, stages and cents.
 */
export function encryptedDataConverter(keys: PayloadKeyring): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath };
}
