import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { hashApiKey } from '../../infra/db/api-key-store.js';
import { HttpError } from '../http/errors.js';

/**
 * Requests per key per minute (API_RATE_LIMIT_PER_MINUTE), counted in this process: a runaway
 * billing import or a leaked key is slowed down before it fills the engine's queue or the
 * database's pool. express-rate-limit (a fixed one-minute window per key) rather than our own
 * bucket: it sets Retry-After and the RateLimit headers, and a store shared by several API
 * processes can replace its in-memory one without touching the routes.
 *
 * Mounted after authentication, so only valid keys get a counter (the store holds one per key in
 * use, not one per guessed key). A session of the operations page counts against its key.
 */
export function rateLimitPerKey(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    // RateLimit / RateLimit-Policy on every answer; Retry-After on a 429.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
      // The key's hash, as api_key stores it: the counter's name never holds the key itself.
      if (bearer) return `key:${hashApiKey(bearer[1]!)}`;
      // The operations page's session (ops/session-auth.ts) counts against the key it was opened with.
      const keyId = (res.locals.caller as { keyId?: string } | undefined)?.keyId;
      return keyId ? `key-id:${keyId}` : `address:${ipKeyGenerator(req.ip ?? '')}`;
    },
    // Keys, not addresses, are counted: a proxy's X-Forwarded-For header does not matter here.
    validate: { xForwardedForHeader: false, forwardedHeader: false },
    handler: (_req, res, next) => {
      // Retry-After is already on the answer: the seconds until this key's window starts over.
      next(new HttpError(429, 'rate_limited', `more than ${perMinute} requests a minute with this key; try again after ${String(res.getHeader('retry-after') ?? 60)} s`));
    },
  });
}
