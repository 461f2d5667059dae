import { IntrinsicException } from '@nestjs/common';

/**
 * Handling stopped because Postgres or Redis is down. Thrown out of the conversation so the
 * update intake refuses the update (it is delivered again); an IntrinsicException so that Nest's
 * handler wrapper (nestjs-telegraf runs handlers through it) does not log it as a crash: the
 * intake logs the deferral once, at warn.
 */
export class StoreUnavailable extends IntrinsicException {
  constructor(override readonly cause: unknown) {
    super(`Postgres or Redis is unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'StoreUnavailable';
  }
}
