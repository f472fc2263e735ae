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
  /** Where the operations page links a track in the Temporal Web UI; default http://localhost:<TEMPORAL_UI_PORT>. */
  TEMPORAL_UI_URL: z.string().url().optional(),
  /**
   * Express's trust proxy setting for the API behind a TLS-terminating proxy: `1` (hops), `true`,
   * or addresses/subnets (`loopback, 10.0.0.0/8`). The operations page's cookie is Secure when the
   * request came over TLS as the trusted proxy says (X-Forwarded-Proto).
   */
  TRUST_PROXY: z
    .string()
    .transform((value): boolean | number | string => (value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value))
    .optional(),
  DATABASE_URL: z.string().url().optional(),
  PORT: port(3000),
  LETTERS_PORT: port(3101),
  BANK_PORT: port(3102),
  MUNICIPALITY_PORT: port(3103),
  LETTERS_URL: z.string().url().optional(),
  /** The payment page letters link to (and print as a QR code); the betalingskenmerk is appended. */
  /** The SMTP relay e-mailed letters leave through (`smtp://user:pass@host:587`); `npm start` runs a local one. Unset: no e-mail, letters go by post. */
  SMTP_URL: z.string().url().refine((url) => /^smtps?:/.test(url), 'an smtp:// or smtps:// URL').optional(),
  /** The From of e-mailed letters; the corporation's name is shown with it. */
  SMTP_FROM: z.string().min(3).default('incasso@huurincasso.local'),
  /** The SMS/WhatsApp gateway's HTTP API and its bearer token; `npm start` runs a local one. Unset: no short messages, letters go by post. */
  SMS_GATEWAY_URL: z.string().url().optional(),
  SMS_GATEWAY_TOKEN: z.string().min(16).optional(),
  BANK_URL: z.string().url().optional(),
  /** The payment provider (interfaces.md §2; the local one: services/payment-provider): its API, where browsers reach it, its key and webhook secret. */
  PAYMENT_PROVIDER_PORT: port(3104),
  PAYMENT_PROVIDER_URL: z.string().url().optional(),
  PAYMENT_PROVIDER_PUBLIC_URL: z.string().url().optional(),
  PAYMENT_PROVIDER_API_KEY: serviceSecret,
  PAYMENT_PROVIDER_WEBHOOK_SECRET: serviceSecret,
  /** Where the provider calls back (POST /v1/payment-provider/webhook on the API); default this machine's API. */
  PAYMENT_WEBHOOK_URL: z.string().url().optional(),
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
  /** The JSON log lines' threshold, for every process (tests: warn, vitest.config.ts). */
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  /** Where the worker serves the Temporal SDK's metrics for Prometheus (on SERVICE_BIND_HOST); 0: not served. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Where the bank drop folder's watcher serves its /metrics (on SERVICE_BIND_HOST); 0: not served. */
  BANK_INBOX_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  /**
   * A workflow bundle built beforehand with worker/create-worker.ts's workflowBundleOptions: the
   * worker loads it instead of bundling the workflows itself (about 7 s per start). The drills
   * restart workers many times and build it once; unset, the worker bundles at start.
   */
  WORKFLOW_BUNDLE: z.string().min(1).optional(),
});

export type Config = z.infer<typeof configSchema> & {
  lettersUrl: string;
  bankUrl: string;
  municipalityUrl: string;
  paymentProviderUrl: string;
  paymentProviderPublicUrl: string;
  paymentWebhookUrl: string;
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
    paymentProviderUrl: c.PAYMENT_PROVIDER_URL ?? `http://127.0.0.1:${c.PAYMENT_PROVIDER_PORT}`,
    paymentProviderPublicUrl: (c.PAYMENT_PROVIDER_PUBLIC_URL ?? `http://localhost:${c.PAYMENT_PROVIDER_PORT}`).replace(/\/$/, ''),
    paymentWebhookUrl: c.PAYMENT_WEBHOOK_URL ?? `http://127.0.0.1:${c.PORT}/v1/payment-provider/webhook`,
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
