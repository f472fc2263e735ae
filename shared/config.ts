import { z } from 'zod';
import { payloadKeysSchema } from './codec/payload-keys.js';

/**
 * All configuration comes from environment variables, parsed once at start. A bad value stops
 * the process with a message naming the variable, instead of failing later in a request.
 */
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
/** A bound on a wait, in milliseconds: long enough for a busy server, short enough for a caller. */
const milliseconds = (fallback: number) => z.coerce.number().int().min(100).max(300_000).default(fallback);
export const defaultEngineTimeoutMs = 10_000;
export const defaultHealthTimeoutMs = 3_000;
/** Generous: a billing import at the benchmark's pace uses a fraction; a runaway loop or a leaked key does not get far. */
export const defaultRateLimitPerMinute = 1_200;
/** Shorter secrets are guessable; `openssl rand -hex 32` gives 64 characters. */
export const minimumServiceSecretLength = 32;
/** What a caller of an internal service presents (services/http/service-credential.ts); each service has its own. */
const serviceSecret = z.string().min(minimumServiceSecretLength, `at least ${minimumServiceSecretLength} characters (openssl rand -hex 32)`).optional();
const flag = z
  .enum(['1', '0', 'true', 'false', ''])
  .default('0')
  .transform((v) => v === '1' || v === 'true');

export const configSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('collection-tracks'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: flag,
  TEMPORAL_UI_PORT: port(8233),
  DATABASE_URL: z.string().url().optional(),
  PORT: port(3000),
  LETTERS_PORT: port(3101),
  BANK_PORT: port(3102),
  MUNICIPALITY_PORT: port(3103),
  LETTERS_URL: z.string().url().optional(),
  /** The payment page letters link to (and print as a QR code); the betalingskenmerk is appended. */
  PAYMENT_LINK_BASE_URL: z.string().url().default('http://localhost:3000/pay/'),
  BANK_URL: z.string().url().optional(),
  MUNICIPALITY_URL: z.string().url().optional(),
  /** The address the internal services listen on: loopback, unless they are to be reached from elsewhere (containers). */
  SERVICE_BIND_HOST: z.string().min(1).default('127.0.0.1'),
  /** Each service refuses to start without its own; the worker needs all three (npm start makes fresh ones). */
  LETTERS_SERVICE_SECRET: serviceSecret,
  BANK_SERVICE_SECRET: serviceSecret,
  MUNICIPALITY_SERVICE_SECRET: serviceSecret,
  SIMULATION: flag,
  /** How long the API waits for the engine (server and worker) before answering 503 engine_unavailable. */
  ENGINE_TIMEOUT_MS: milliseconds(defaultEngineTimeoutMs),
  /** How long /healthz waits for each thing it checks. */
  HEALTH_TIMEOUT_MS: milliseconds(defaultHealthTimeoutMs),
  /**
   * The keys workflow payloads are encrypted with, newest first: `k2:<base64>,k1:<base64>`
   * (shared/codec/payload-keys.ts). The API and the worker refuse to start without them.
   */
  PAYLOAD_KEYS: payloadKeysSchema.optional(),
  /** Browser origins that may call the API's codec endpoint (the Temporal UI), comma-separated; default the local UI's. */
  CODEC_CORS_ORIGINS: z
    .string()
    .transform((list) => list.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url().transform((url) => new URL(url).origin)).min(1))
    .optional(),
  /** Requests per API key per minute, per API process; over it: 429 with Retry-After. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(defaultRateLimitPerMinute),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Config = z.infer<typeof configSchema> & {
  lettersUrl: string;
  bankUrl: string;
  municipalityUrl: string;
};

export type ServiceSecretVariable = 'LETTERS_SERVICE_SECRET' | 'BANK_SERVICE_SECRET' | 'MUNICIPALITY_SERVICE_SECRET';

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    ...c,
    lettersUrl: c.LETTERS_URL ?? `http://127.0.0.1:${c.LETTERS_PORT}`,
    bankUrl: c.BANK_URL ?? `http://127.0.0.1:${c.BANK_PORT}`,
    municipalityUrl: c.MUNICIPALITY_URL ?? `http://127.0.0.1:${c.MUNICIPALITY_PORT}`,
  };
}

/** For an entrypoint: exits with the message rather than a stack trace. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
