import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { log as processLog } from '../../infra/observability/logger.js';
import { isDatabaseUnavailable } from './database-unavailable.js';

/** The api.md error shape: `{ error: { code, message, details } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
    /** Headers the answer carries, such as a 503's Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
    /** For the service's log, never the caller: what an outside system said when it failed us (a gRPC status, say). */
    readonly logNote?: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details: unknown[] = []) => new HttpError(400, 'invalid_request', message, details);
export const notFound = (message = 'not found') => new HttpError(404, 'not_found', message);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const unprocessable = (code: string, message: string, details: unknown[] = []) => new HttpError(422, code, message, details);
/** Something this service depends on is away; the caller may try again after `retryAfterSeconds`. */
export const serviceUnavailable = (code: string, message: string, retryAfterSeconds: number, logNote?: string) =>
  new HttpError(503, code, message, [], { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) }, logNote);

/** A 400 carrying zod's issues (or issues in their shape), each with the path of the field it is about. */
export function invalidInput(what: string, issues: readonly Pick<z.core.$ZodIssue, 'path' | 'code' | 'message'>[]): HttpError {
  return badRequest(
    `invalid ${what}: ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    issues.map((i) => ({ path: i.path, code: i.code, message: i.message })),
  );
}

/** Parses input with zod; invalid input becomes a 400 carrying zod's issues. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(what, result.error.issues);
  return result.data;
}

/**
 * Postgres's class 22 (data exception): a NUL or invalid byte sequence in text, a date or number
 * out of range, a malformed uuid. Only input the schemas let through causes one.
 */
const isPostgresDataException = (error: unknown): error is { code: string; message: string } => {
  const candidate = error as { code?: unknown; severity?: unknown } | null;
  return typeof candidate?.code === 'string' && /^22[0-9A-Z]{3}$/.test(candidate.code) && typeof candidate.severity === 'string';
};

/** The body parser's refusals (its `type`), in our codes: the caller learns what to change, never how we parse. */
const bodyParserRefusals: Readonly<Record<string, { status: number; code: string; message: (error: { limit?: unknown; charset?: unknown; encoding?: unknown }) => string }>> = {
  'entity.parse.failed': { status: 400, code: 'invalid_request', message: () => 'malformed JSON body' },
  'entity.too.large': {
    status: 413,
    code: 'payload_too_large',
    message: (e) => `the request body is larger than ${typeof e.limit === 'number' ? `${e.limit} bytes` : 'this service takes'}`,
  },
  'charset.unsupported': { status: 415, code: 'unsupported_media_type', message: (e) => `unsupported charset ${JSON.stringify(String(e.charset ?? ''))}: send UTF-8` },
  'encoding.unsupported': { status: 415, code: 'unsupported_media_type', message: (e) => `unsupported content encoding ${JSON.stringify(String(e.encoding ?? ''))}` },
};

export const notFoundHandler: RequestHandler = (req, _res, next) => next(notFound(`no route for ${req.method} ${req.path}`));

export function errorHandler(log: (line: string) => void = (line) => processLog().error(line)): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (error instanceof HttpError) {
      if (error.logNote) log(`${error.status} ${error.code}: ${error.logNote}`);
      res.set(error.headers);
      res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details } });
      return;
    }
    // The last line of defence: the schemas should have refused this input already, so the log
    // says which check is missing, and the caller gets the 400 the input deserves.
    if (error instanceof z.ZodError) {
      log(`zod error escaped the routes: ${error.message}`);
      const refused = invalidInput('request', error.issues);
      res.status(400).json({ error: { code: refused.code, message: refused.message, details: refused.details } });
      return;
    }
    // A database restart or failover is not the caller's fault nor a bug: try again shortly.
    if (isDatabaseUnavailable(error)) {
      log(`database unavailable: ${error?.message ?? error}`);
      res.set('retry-after', '5');
      res.status(503).json({ error: { code: 'database_unavailable', message: 'the database is not reachable at the moment; try again shortly', details: [] } });
      return;
    }
    if (isPostgresDataException(error)) {
      log(`input reached Postgres unchecked (${error.code}): ${error.message}`);
      res.status(400).json({ error: { code: 'invalid_request', message: 'the request holds a value that cannot be stored', details: [] } });
      return;
    }
    // express.json() reports malformed JSON and oversized bodies with a status of its own.
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status >= 400 && status < 500) {
      const known = bodyParserRefusals[String(error.type)];
      if (known) {
        res.status(known.status).json({ error: { code: known.code, message: known.message(error), details: [] } });
        return;
      }
      res.status(status).json({ error: { code: 'invalid_request', message: String(error.message ?? 'bad request'), details: [] } });
      return;
    }
    log(`unhandled error: ${error?.stack ?? error}`);
    res.status(500).json({ error: { code: 'internal', message: 'internal error', details: [] } });
  };
}
