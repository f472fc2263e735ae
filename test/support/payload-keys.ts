import { createHash } from 'node:crypto';
import { encryptedDataConverter } from '../../shared/codec/data-converter.js';
import { parsePayloadKeys } from '../../shared/codec/payload-keys.js';

/**
 * The payload keys of every test's clients and workers. Fixed, not random: histories recorded by
 * the tests (RECORD_HISTORIES=1) hold payloads encrypted under them and must replay later.
 * Test keys only: they protect nothing.
 */
const testKey = (id: string) => `${id}:${createHash('sha256').update(`huurincasso test payload key ${id}`).digest('base64')}`;
/** As PAYLOAD_KEYS holds them, for a process a test starts. */
export const testPayloadKeyEntry = testKey('test-1');
export const testPayloadKeys = parsePayloadKeys(testPayloadKeyEntry);
export const testDataConverter = encryptedDataConverter(testPayloadKeys);
