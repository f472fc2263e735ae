import type { RequestHandler } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { minimumServiceSecretLength } from '../../shared/config.js';
import { HttpError } from './errors.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Lets through only callers that present the service's secret as `Authorization: Bearer <secret>`.
 * Both sides are hashed before the comparison, so it takes the same time whatever the length or
 * the first differing character of a guess. A refusal says no more than that: no route, no
 * resource, no hint which part was wrong.
 */
export function requireServiceCredential(secret: string): RequestHandler {
  if (secret.length < minimumServiceSecretLength) {
    // A programming error, not a caller's: a service is never built without its secret.
    throw new Error(`a service secret needs at least ${minimumServiceSecretLength} characters`);
  }
  const expected = digest(secret);
  return (req, _res, next) => {
    const presented = /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '')?.[1];
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return next();
    next(new HttpError(401, 'unauthorized', 'a valid service credential is required', [], { 'www-authenticate': 'Bearer' }));
  };
}
