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
 * parsers mounted after this one read (JSON only, until a route takes another).
 */
export function acceptBodiesOf(accepted: readonly string[] = ['application/json']): RequestHandler {
  return (req, _res, next) => {
    if (!methodsWithBodies.has(req.method) || !hasBody(req.headers) || req.is([...accepted])) return next();
    const sent = req.headers['content-type'];
    next(
      new HttpError(
        415,
        'unsupported_media_type',
        `${sent ? `a body of type ${JSON.stringify(sent.slice(0, 100))}` : 'a body without a Content-Type'} is not read here; send ${accepted.join(' or ')}`,
      ),
    );
  };
}
