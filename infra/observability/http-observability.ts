import type { Express, Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import { log, type Logger } from './logger.js';
import { withLogContext, type LogContext } from './log-context.js';
import { httpRequestDuration, httpRequests, metricsRegistry } from './metrics.js';
import { bodyForLog, scrubText } from './personal-data.js';

/** An id a caller or proxy sent may travel on, if it is a plain token: nothing to inject into a log. */
const acceptableRequestId = /^[A-Za-z0-9._:/-]{1,128}$/;

/** The route pattern that answered (`/v1/cases/:caseId`); requests no route took share one label. */
export function routeLabel(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : '(unmatched)';
}

/** Probes and scrapes are logged at debug only: they would drown the lines that matter. */
const quietPaths = new Set(['/healthz', '/metrics']);

const contextOf = (res: ServerResponse): LogContext => ((res as Response).locals?.logContext as LogContext | undefined) ?? {};

/**
 * Mounts what every HTTP process of the system has, first thing on its app:
 * - a request id per request: the caller's `x-request-id` when it sent a plain one, else a fresh
 *   uuid; echoed in the answer's `x-request-id` and carried by every log line of the request;
 * - one JSON line per answered request (pino-http): method, path, route, status, time, the case
 *   the request turned out to be about, and for a refused request its body as bodyForLog keeps it;
 * - the request counter and latency histogram by route pattern and status;
 * - `GET /metrics` for Prometheus, without credentials: it holds counts, never data, and in a
 *   cluster only the scraper reaches it (README, "Metrics and logs").
 */
export function observeHttp(
  app: Express,
  { service, logger = log(), metricsRoute = true }: { service: string; logger?: Logger; /** false: the app mounts GET /metrics itself (the API, through its contracts). */ metricsRoute?: boolean },
): void {
  app.use(
    pinoHttp({
      logger,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const sent = req.headers['x-request-id'];
        const id = typeof sent === 'string' && acceptableRequestId.test(sent) ? sent : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // The request id comes with the context (mixin), not as a child binding: one field, once.
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: urlForLog(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      wrapSerializers: true,
      quietReqLogger: false,
      customLogLevel: (req, res, error) => {
        // 503: something we depend on is away (the answer says so, and when to retry): a warning.
        if (res.statusCode === 503 && !error) return 'warn';
        if (error || res.statusCode >= 500) return 'error';
        return quietPaths.has((req as Request).path) ? 'debug' : 'info';
      },
      customSuccessMessage: (req, res, ms) => `${req.method} ${routeLabel(req as Request)} ${res.statusCode} in ${ms} ms`,
      customErrorMessage: (req, res) => `${req.method} ${routeLabel(req as Request)} failed with ${res.statusCode}`,
      customSuccessObject: (req, res, value) => withRequestDetails(req as Request, res, value),
      customErrorObject: (req, res, error, value) => {
        // pino-http makes up an error for a 5xx without one: the status says as much, without a stack.
        const madeUp = !res.err && error.message === `failed with status code ${res.statusCode}`;
        const { err: _made, ...rest } = value as Record<string, unknown>;
        return withRequestDetails(req as Request, res, madeUp ? rest : value);
      },
    }),
  );
  app.use(((req, res, next) => {
    const context: LogContext = { requestId: String(req.id) };
    res.locals.logContext = context;
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const labels = { service, method: req.method, route: routeLabel(req), status: String(res.statusCode) };
      httpRequests.inc(labels);
      httpRequestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    withLogContext(context, next);
  }) satisfies RequestHandler);
  if (metricsRoute) {
    app.get('/metrics', async (_req, res) => {
      res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
    });
  }
}

/** The path, and of the query its keys, with values only where bodyForLog keeps them (ids, dates, enums). */
export function urlForLog(url: string): string {
  const [path = '', query] = url.slice(0, 1000).split('?', 2);
  if (!query) return scrubText(path);
  const params = [...new URLSearchParams(query)].map(([key, value]) => `${key}=${String(bodyForLog(value, key))}`);
  return `${scrubText(path)}?${params.join('&')}`;
}

/** The completed-request line: the case it was about (its context may be gone by now) and, when refused, what was sent. */
function withRequestDetails(req: Request, res: ServerResponse, value: Record<string, unknown>) {
  const details: Record<string, unknown> = { ...contextOf(res), ...value, route: routeLabel(req) };
  if (res.statusCode >= 400 && req.body !== undefined && typeof req.body === 'object') details.body = bodyForLog(req.body);
  return details;
}
