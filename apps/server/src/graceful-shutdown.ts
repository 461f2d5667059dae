import { INestApplication, LoggerService } from '@nestjs/common';

/**
 * On SIGTERM / SIGINT: stop accepting connections, let in-flight requests and jobs finish,
 * then close queues and connections (Nest's shutdown hooks). If that takes longer than the
 * grace period, exit anyway: the outbox makes unfinished work safe to pick up again.
 */
export function installGracefulShutdown(
  app: INestApplication,
  logger: LoggerService,
  graceMs: number,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: finishing in-flight work (up to ${graceMs} ms)`, 'Shutdown');
    const timer = setTimeout(() => {
      logger.error(`Shutdown took longer than ${graceMs} ms; exiting`, undefined, 'Shutdown');
      exit(1);
    }, graceMs);
    timer.unref();
    app
      .close()
      .then(() => {
        clearTimeout(timer);
        logger.log('Shut down cleanly', 'Shutdown');
        exit(0);
      })
      .catch((error: Error) => {
        clearTimeout(timer);
        logger.error(`Shutdown failed: ${error.message}`, error.stack, 'Shutdown');
        exit(1);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
