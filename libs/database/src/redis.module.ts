import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '@ttfd/config';
import { warnOnConnectionErrors } from './connection-warnings';
import { redisOptions } from './redis';

/** The app's shared Redis client (cooldowns, dedupe, rate limits). BullMQ opens its own. */
export const REDIS = Symbol('REDIS');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const client = new Redis({
          ...redisOptions(config.redis.url),
          keyPrefix: `${config.redis.prefix}:`,
        });
        return warnOnConnectionErrors(client, 'Redis (app client)');
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
