import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AppMetrics } from './app.metrics';
import { DatabaseCollector } from './database.collector';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';
import { PlatformCalls } from '../platform/platform-calls';
import { QueueInspector } from './queue-inspector';
import { SyncMetrics } from './sync.metrics';

/** /metrics and the series every role feeds (global: bots and the sync engine record into it). */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    MetricsRegistry,
    AppMetrics,
    PlatformCalls,
    SyncMetrics,
    QueueInspector,
    DatabaseCollector,
  ],
  exports: [MetricsRegistry, AppMetrics, PlatformCalls, SyncMetrics, QueueInspector],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*path}');
  }
}
