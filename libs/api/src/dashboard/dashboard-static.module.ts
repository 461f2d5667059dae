import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { dashboardStatic } from './dashboard-static.middleware';

/**
 * The web dashboard's static files at `/` (api role). A middleware rather than a catch-all
 * controller, so it never takes a route from another module whatever their order; it passes
 * every server path (/graphql, /admin, /auth, /health, /metrics, /docs, /telegram) through.
 */
@Module({})
export class DashboardStaticModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(dashboardStatic()).forRoutes({ path: '{*path}', method: RequestMethod.GET });
  }
}
