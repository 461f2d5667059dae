import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { setupApiDocs, setupApiEdge } from '@ttfd/api';
import { AppConfig } from '@ttfd/config';
import { AppModule, AppModuleOptions } from './app.module';

/** Builds the application (not yet listening): the one composition used by main and by tests. */
export async function createApp(options: AppModuleOptions): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(options), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableCors({ origin: false });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  configureApp(app, options.config);
  return app;
}

/**
 * What needs the application object itself rather than a module (tests call it too, after
 * building the app their own way, before it listens): in the api role the edge middleware
 * (GraphQL body limit, security headers) and OpenAPI at /docs.
 */
export function configureApp(app: INestApplication, config: AppConfig): void {
  if (!config.hasRole('api')) return;
  setupApiEdge(app, config);
  setupApiDocs(app);
}
