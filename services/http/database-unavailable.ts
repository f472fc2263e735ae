/**
 * Whether an error says the database is away (restarting, failing over, refusing connections)
 * rather than that a query was wrong: the caller gets a 503 to try again, not a 500. Postgres's
 * class 08 (connection exception) and 57P01–57P03 (shut down, crashed, cannot connect now), the
 * 55000 of a database that does not take connections, node's socket errors, and the pool's and
 * driver's own words for a connection that went away or never came.
 */
const unavailableCodes = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const unavailableMessages = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /not currently accepting connections/i, /Client has encountered a connection error/i, /the database system is (starting up|shutting down|in recovery mode)/i];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (unavailableCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof message === 'string' && unavailableMessages.some((pattern) => pattern.test(message))) return true;
  // AggregateError (a connection tried on several addresses) and wrapped causes.
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
