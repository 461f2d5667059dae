import { EventEmitter } from 'node:events';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Client, Events } from 'discord.js';
import { describeError, ThrottledLog } from '@ttfd/common';

/**
 * Listeners for everything the discord.js client can emit as trouble. Without an `'error'`
 * listener, an error event (a handler's rejection, captured by the client's
 * `captureRejections`) is thrown by Node's EventEmitter and ends the process. A gateway
 * connection error (`shardError`) is Discord having a bad minute: the client reconnects by
 * itself, so it is a warning, once a minute.
 */
@Injectable()
export class DiscordClientErrors implements OnModuleInit {
  private readonly logger = new Logger('DiscordClient');
  private readonly repeated = new ThrottledLog(this.logger);

  constructor(private readonly client: Client) {}

  onModuleInit(): void {
    this.client.on(Events.Error, (error) => {
      this.logger.error(`Discord client error: ${error.stack ?? describeError(error)}`);
    });
    this.client.on(Events.ShardError, (error, shardId) => {
      this.repeated.warn(
        `shard ${shardId}`,
        `Discord gateway connection error on shard ${shardId} (reconnecting): ${describeError(error)}`,
      );
    });
    this.client.on(Events.Warn, (message) => {
      this.repeated.warn(`warn ${message}`, `Discord client: ${message}`);
    });
    // The WebSocket manager re-emits its connection errors as the client's `shardError` (above);
    // its own `'error'` has no emitter today, but an unheard one would end the process.
    (this.client.ws as EventEmitter).on('error', (error: Error) => {
      this.repeated.warn('ws', `Discord WebSocket manager error: ${describeError(error)}`);
    });
    this.client.on(Events.Invalidated, () => {
      this.logger.warn('Discord invalidated the gateway session; the client will not reconnect');
    });
  }
}
