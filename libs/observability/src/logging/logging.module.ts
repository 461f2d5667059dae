import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { currentCorrelationId } from '@ttfd/common';
import { AppConfig } from '@ttfd/config';
import { correlateRequest, requestIdOf } from './request-correlation';

/** Secrets never reach a log line, whatever object carries them. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers.cookie',
  '*.token',
  '*.password',
  '*.secret',
];

export interface LoggingOptions {
  /** Where log lines go instead of stdout (tests read them). */
  destination?: DestinationStream;
}

@Module({})
export class LoggingModule implements NestModule {
  static forRoot(config: AppConfig, options: LoggingOptions = {}): DynamicModule {
    const pinoOptions = {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Every line written while correlated work runs says which work: the request, update,
      // Discord event or outbox event it belongs to, whichever process writes it.
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId ? { correlationId } : {};
      },
      genReqId: requestIdOf,
      customLogLevel: (_req: unknown, res: { statusCode: number }, error?: Error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: {
        ignore: (req: { url?: string }) => req.url === '/health' || req.url === '/metrics',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url?.split('?')[0],
        }),
      },
    };
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: options.destination ? [pinoOptions, options.destination] : pinoOptions,
        }),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(correlateRequest).forRoutes('*');
  }
}
