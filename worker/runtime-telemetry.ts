import { Runtime, type LogLevel, type LogMetadata, type Logger as TemporalLogger } from '@temporalio/worker';
import type { Logger } from '../infra/observability/logger.js';

const pinoLevel = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const satisfies Record<LogLevel, string>;

/**
 * The SDK's logger (its own lines, and the workflows' and activities' `log`) as pino lines. Its
 * attributes (sdkComponent, namespace, taskQueue, workflowId, runId, workflowType, activityId,
 * activityType, attempt, and the case from activity-log-context.ts) become fields; the task token
 * is left out: a credential to complete the activity, and noise.
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    const { taskToken: _taskToken, ...fields } = meta;
    this.logger[pinoLevel[level] ?? 'info'](fields, message);
  }
  trace(message: string, meta?: LogMetadata) {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata) {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata) {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata) {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata) {
    this.log('ERROR', message, meta);
  }
}

/**
 * The worker process's Temporal runtime: its logs (the SDK's, and the core's warnings, forwarded)
 * through pino, and its metrics (`temporal_…`: task slots, poll and schedule-to-start latencies,
 * workflow and activity failures by type) served for Prometheus at `metricsAddress`/metrics.
 * Once per process, before the first connection (the SDK makes a default runtime on first use and
 * refuses another afterwards); the tests' workers run on the default runtime.
 */
export function installWorkerRuntime({ logger, metricsAddress }: { logger: Logger; metricsAddress?: string }): Runtime {
  return Runtime.install({
    logger: new PinoTemporalLogger(logger),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
    },
  });
}
