import { Logger } from '@nestjs/common';
import { Client, type ClientEvents } from 'discord.js';
import { newCorrelationId, withCorrelation } from '@ttfd/common';

/**
 * Subscribes a handler to this app's own Client. We do this instead of necord's `@On` because
 * necord binds a decorated method to the first app instance that discovers it in a process
 * (`contextCallback ??=`), so a second app in the same process (a restart in an e2e test)
 * would deliver its events to the first, closed one. Handlers never throw into discord.js's
 * emitter: a failure is logged. Each event is handled in a correlation of its own
 * (`dc-{event}-{uuid}`), which its log lines and the outbox rows it causes carry.
 */
export function onClientEvent<K extends keyof ClientEvents>(
  client: Client,
  event: K,
  logger: Logger,
  handler: (...args: ClientEvents[K]) => Promise<unknown>,
  once = false,
): void {
  const listener = (...args: ClientEvents[K]) =>
    withCorrelation(newCorrelationId(`dc-${String(event)}`), () => {
      handler(...args).catch((error: Error) => {
        logger.error(`${String(event)} handler failed: ${error.stack ?? error.message}`);
      });
    });
  if (once) client.once(event, listener);
  else client.on(event, listener);
}
