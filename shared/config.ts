import { z } from 'zod';

/**
 * All configuration comes from environment variables, parsed once at start. A bad value stops
 * the process with a message naming the variable, instead of failing later in a request.
 */
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
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
  BANK_URL: z.string().url().optional(),
  MUNICIPALITY_URL: z.string().url().optional(),
  SIMULATION: flag,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Config = z.infer<typeof configSchema> & {
  lettersUrl: string;
  bankUrl: string;
  municipalityUrl: string;
};

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
