import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

const methodsWithBodies = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A body arrives: chunked, or a length above zero (an empty POST needs no type). */
const hasBody = (headers: Record<string, string | string[] | undefined>) =>
  headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;

/**
 * 415 for a request body of a type the service does not read. Without it a body sent as
 * text/plain or a form is skipped by express.json() and the route reports its fields missing: a
 * 400 that sends the caller looking in the wrong place. `accepted` lists the media types the body
 * parsers mounted after this one read; `byPath`: what the routes at these exact paths read instead
 * (a bank file as application/xml).
 */
export function acceptBodiesOf(accepted: readonly string[] = ['application/json'], byPath: Readonly<Record<string, readonly string[]>> = {}): RequestHandler {
  return (req, _res, next) => {
    const types = Object.hasOwn(byPath, req.path) ? byPath[req.path]! : accepted;
    if (!methodsWithBodies.has(req.method) || !hasBody(req.headers) || req.is([...types])) return next();
    const sent = req.headers['content-type'];
    next(
      new HttpError(
        415,
        'unsupported_media_type',
        `${sent ? `a body of type ${JSON.stringify(sent.slice(0, 100))}` : 'a body without a Content-Type'} is not read here; send ${types.join(' or ')}`,
      ),
    );
  };
}
