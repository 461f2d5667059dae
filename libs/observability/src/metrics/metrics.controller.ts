import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { MetricsRegistry } from './metrics.registry';

/**
 * Prometheus scrape endpoint. Unauthenticated like /health (bind it to an internal network or
 * let the ingress hide it): it carries counts, never ids or secrets.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  @Get()
  async scrape(@Res() res: Response): Promise<void> {
    const body = await this.registry.render();
    res.setHeader('Content-Type', this.registry.contentType);
    res.send(body);
  }
}
