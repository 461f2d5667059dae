import { LoggerService } from '@nestjs/common';
import { describeError } from '@ttfd/common';
import { AppMetrics } from '@ttfd/observability';

/**
 * What the process does with a fault nothing else handled:
 * - a promise rejection nobody handled is a bug in one piece of work, not in the process: it is
 *   logged at error (with the correlation id of the work it came from: the log's mixin reads
 *   the async context, which Node keeps for this event), counted in
 *   `ttfd_unhandled_rejections_total`, and the process keeps serving everyone else;
 * - an uncaught exception may have left any state half-changed: it is logged at fatal and the
 *   process exits non-zero, so the supervisor (Docker, systemd, Kubernetes) starts a clean one.
 *   The outbox makes the work that was in flight safe to pick up again.
 * Platform errors never get this far: every emitter has its own listener.
 */
export function installProcessFaultPolicy(
  logger: LoggerService,
  metrics: AppMetrics,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  process.on('unhandledRejection', (reason) => {
    metrics.unhandledRejections.inc();
    logger.error(
      `Unhandled promise rejection (the process keeps running): ${
        reason instanceof Error ? (reason.stack ?? describeError(reason)) : String(reason)
      }`,
      undefined,
      'Process',
    );
  });
  process.on('uncaughtException', (error) => {
    const line = `Uncaught exception, exiting for a clean restart: ${error.stack ?? describeError(error)}`;
    if (logger.fatal) logger.fatal(line, 'Process');
    else logger.error(line, undefined, 'Process');
    exit(1);
  });
}
