import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthRegistry } from './health.registry';

@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  /** Readiness: 200 when every dependency this process uses answers, 503 otherwise. */
  @Get()
  async readiness(@Res() res: Response): Promise<void> {
    const checks = await this.registry.run();
    const ready = Object.values(checks).every((state) => state.ok);
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({
      status: ready ? 'ok' : 'unavailable',
      checks,
    });
  }

  /** Liveness: the process answers. */
  @Get('live')
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
