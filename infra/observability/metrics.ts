import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics, served at GET /metrics by the API and every service
 * (http-observability.ts). One registry per process: in the tests the API and the services share
 * one process, so the HTTP metrics carry a `service` label of their own.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

/** Labels: the route PATTERN (`/v1/cases/:caseId`), never the raw path, so ids do not multiply series. */
export const httpRequests = new Counter({
  name: 'huurincasso_http_requests_total',
  help: 'HTTP requests answered, by service, method, route pattern and status',
  labelNames: ['service', 'method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'huurincasso_http_request_duration_seconds',
  help: 'Time from a request arriving to its answer being sent, by service, method, route pattern and status',
  labelNames: ['service', 'method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** Counted by the letter service when a letter is posted or a message sent, not when a retry finds it sent. */
export const lettersSent = new Counter({
  name: 'huurincasso_letters_sent_total',
  help: 'Letters and messages sent, by kind and channel',
  labelNames: ['kind', 'channel'] as const,
  registers: [metricsRegistry],
});

/**
 * Bank lines by what became of them: matched (booked on a track), reversal, unmatched (to the
 * worklist), ignored (not a credit), duplicate (seen before). `source`: a file import, or a person
 * matching a line from the worklist.
 */
export const bankEntries = new Counter({
  name: 'huurincasso_bank_entries_total',
  help: 'Bank statement entries settled, by fate and source',
  labelNames: ['fate', 'source'] as const,
  registers: [metricsRegistry],
});

/**
 * Files the bank drop folder took (services/bank/inbox): processed (imported, moved to processed/),
 * failed (moved to failed/ with its reason), retry (put back: the engine or the database away).
 * Their lines are counted in huurincasso_bank_entries_total, source import.
 */
export const bankInboxFiles = new Counter({
  name: 'huurincasso_bank_inbox_files_total',
  help: 'Files taken from the bank drop folder, by outcome: processed, failed, retry',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Messages the API sends to tracks. `outcome`: ok, refused (the track said no: a 4xx) or failed. */
export const trackMessages = new Counter({
  name: 'huurincasso_track_messages_total',
  help: 'Signals and updates sent to collection tracks, by type, message name and outcome',
  labelNames: ['type', 'name', 'outcome'] as const,
  registers: [metricsRegistry],
});

/** Counts one message to a track by how it ended; the error, if any, is rethrown. */
export async function countTrackMessage<T>(type: 'signal' | 'update' | 'update_with_start', name: string, send: () => Promise<T>): Promise<T> {
  try {
    const result = await send();
    trackMessages.inc({ type, name, outcome: 'ok' });
    return result;
  } catch (error) {
    const status = (error as { status?: unknown } | null)?.status;
    trackMessages.inc({ type, name, outcome: typeof status === 'number' && status < 500 ? 'refused' : 'failed' });
    throw error;
  }
}
