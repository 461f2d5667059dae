import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthRegistry } from './health.registry';

@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  /**
   * Readiness: 200 while every critical dependency (Postgres, Redis) answers, 503 otherwise.
   * A platform in trouble shows as `degraded` in the body with its last minute's error rate,
   * and the answer stays 200.
   */
  @Get()
  async readiness(@Res() res: Response): Promise<void> {
    const { status, ready, checks } = await this.registry.run();
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status, checks });
  }

  /** Liveness: the process answers. */
  @Get('live')
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
