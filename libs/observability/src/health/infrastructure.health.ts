import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '@ttfd/database';
import { HealthRegistry } from './health.registry';

@Injectable()
export class InfrastructureHealth implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  onModuleInit(): void {
    this.registry.register(
      'postgres',
      async () => {
        await this.dataSource.query('SELECT 1');
        return { status: 'ok' };
      },
      { critical: true },
    );
    this.registry.register(
      'redis',
      async () => {
        const answer = await this.redis.ping();
        return answer === 'PONG'
          ? { status: 'ok' }
          : { status: 'down', detail: `PING answered ${answer}` };
      },
      { critical: true },
    );
  }
}
