import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DashboardFallbackFilter } from './dashboard-fallback.filter';
import { dashboardStatic } from './dashboard-static.middleware';

/**
 * The web dashboard at `/` (api role): its files from a middleware, its client routes from a
 * 404 filter, so it never takes a route from another module whatever their order.
 */
@Module({ providers: [{ provide: APP_FILTER, useClass: DashboardFallbackFilter }] })
export class DashboardStaticModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(dashboardStatic()).forRoutes({ path: '{*path}', method: RequestMethod.GET });
  }
}
