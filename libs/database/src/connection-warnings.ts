import { Logger } from '@nestjs/common';
import { describeError, ThrottledLog } from '@ttfd/common';

const warnings = new ThrottledLog(new Logger('Connections'));

/**
 * The error handler of a connection-holding emitter (an ioredis client, a BullMQ queue, a pg
 * pool whose idle client was terminated). Node ends the process on an `'error'` event nobody
 * listens to, and an empty listener would hide an outage: callers see their own failures, and
 * this says once a minute that the connection is in trouble.
 */
export function connectionWarning(what: string): (error: Error) => void {
  return (error: Error) => {
    warnings.warn(what, `${what}: ${describeError(error)}`);
  };
}

export function warnOnConnectionErrors<
  T extends { on(event: 'error', listener: (error: Error) => void): unknown },
>(emitter: T, what: string): T {
  emitter.on('error', connectionWarning(what));
  return emitter;
}
