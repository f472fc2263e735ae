import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { currentLogContext } from './log-context.js';
import { redacted, redactFields, redactPaths, scrubText } from './personal-data.js';

export type { Logger } from 'pino';

const levels = new Set<Level>(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);
const levelFrom = (value: string | undefined): Level => (value && levels.has(value as Level) ? (value as Level) : 'info');

const errorForLog = (error: unknown) => {
  if (!(error instanceof Error)) return { message: scrubText(String(error)) };
  const cause = (error as { cause?: unknown }).cause;
  return {
    type: error.name,
    message: scrubText(error.message),
    stack: error.stack ? scrubText(error.stack) : undefined,
    ...(cause instanceof Error ? { cause: { type: cause.name, message: scrubText(cause.message) } } : {}),
  };
};

/**
 * A JSON logger as every process of the system uses it: one line per event, with the process's
 * name, the request id and the case of the work at hand (log-context.ts), and no personal data
 * (personal-data.ts). `destination`: where the lines go (stdout unless a test captures them).
 */
export function createLogger(options: { process: string; level?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: levelFrom(options.level ?? process.env.LOG_LEVEL),
      base: { process: options.process },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (fields) => redactFields(fields) },
      redact: { paths: redactPaths, censor: redacted },
      serializers: { err: errorForLog, error: errorForLog },
      // The request's and the case's ids on every line; a line's own fields win.
      // A copy: pino merges the line's fields into what the mixin returns.
      mixin: () => ({ ...currentLogContext() }),
      hooks: {
        // Free text is where personal data slips in unnamed ("no debtor for J. Jansen, NL91…").
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    // Asynchronous, so a request never waits for the terminal; pino flushes what is pending on exit.
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

let processLogger: Logger | undefined;

/** Names the process's lines ("api", "worker", "letter service"); call first thing in a main. */
export function configureProcessLogger(processName: string): Logger {
  processLogger = createLogger({ process: processName });
  return processLogger;
}

/** The process's logger (made on first use when the main did not name the process). */
export function log(): Logger {
  processLogger ??= createLogger({ process: 'huurincasso' });
  return processLogger;
}
