import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';

/** The api.md error shape: `{ error: { code, message, details } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details: unknown[] = []) => new HttpError(400, 'invalid_request', message, details);
export const notFound = (message = 'not found') => new HttpError(404, 'not_found', message);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const unprocessable = (code: string, message: string, details: unknown[] = []) => new HttpError(422, code, message, details);

/** Parses input with zod; invalid input becomes a 400 carrying zod's issues. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw badRequest(
      `invalid ${what}: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      result.error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })),
    );
  }
  return result.data;
}

export const notFoundHandler: RequestHandler = (req, _res, next) => next(notFound(`no route for ${req.method} ${req.path}`));

export function errorHandler(log: (line: string) => void = console.error): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details } });
      return;
    }
    // express.json() reports malformed JSON and oversized bodies with a status of its own.
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status >= 400 && status < 500) {
      const message = error.type === 'entity.parse.failed' ? 'malformed JSON body' : String(error.message ?? 'bad request');
      res.status(status).json({ error: { code: 'invalid_request', message, details: [] } });
      return;
    }
    log(`unhandled error: ${error?.stack ?? error}`);
    res.status(500).json({ error: { code: 'internal', message: 'internal error', details: [] } });
  };
}
