import { Client, Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { NativeConnection } from '@temporalio/worker';
import { encryptedDataConverter } from '../../shared/codec/data-converter.js';
import type { PayloadKeyring } from '../../shared/codec/payload-keys.js';
import type { Config } from '../../shared/config.js';
import { log } from '../observability/logger.js';

function connectionOptions(config: Config) {
  return {
    address: config.TEMPORAL_ADDRESS,
    // Temporal Cloud and TLS-terminated clusters: an API key implies TLS.
    tls: config.TEMPORAL_TLS || Boolean(config.TEMPORAL_API_KEY) ? {} : undefined,
    apiKey: config.TEMPORAL_API_KEY,
  };
}

/**
 * A client connection. In simulation the server is the time-skipping test server, and the
 * connection must be told to expose its TestService (clock control); the SDK keeps that switch
 * internal because only its own test environment uses it.
 */
export async function connectClient(config: Config): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect({
    ...connectionOptions(config),
    [InternalConnectionOptionsSymbol]: { supportsTestService: config.SIMULATION },
  } as Parameters<typeof Connection.connect>[0]);
  return { connection, client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: encryptedDataConverter(payloadKeysOrExit(config)) }) };
}

/**
 * PAYLOAD_KEYS, which every client and worker of the system needs: without them a process would
 * write personal data and amounts into the engine's history in plain, or fail to read what the
 * others wrote. For an entrypoint: stops with a message rather than a stack trace.
 */
export function payloadKeysOrExit(config: Config): PayloadKeyring {
  if (config.PAYLOAD_KEYS) return config.PAYLOAD_KEYS;
  log().fatal('PAYLOAD_KEYS is required: the keys workflow payloads are encrypted with, newest first (k2:<base64 32 bytes>,k1:…); see the README');
  process.exit(2);
}

export function connectWorker(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}
