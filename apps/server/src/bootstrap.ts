import { Logger } from 'nestjs-pino';
import { Clock } from '@ttfd/clock';
import { AppConfig, ConfigValidationError, loadConfig } from '@ttfd/config';
import { assertRedisAnswers, RedisUnavailableError } from '@ttfd/database';
import { AppMetrics } from '@ttfd/observability';
import { createApp } from './app.factory';
import { installGracefulShutdown } from './graceful-shutdown';
import { installProcessFaultPolicy } from './process-fault-policy';

export interface BootstrapOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  imports?: Parameters<typeof createApp>[0]['imports'];
}

/**
 * Validates the configuration, checks Redis, builds the app and listens. A problem that
 * a person must fix (a bad variable, no Redis) ends the process with a message saying what.
 */
export async function bootstrap(options: BootstrapOptions = {}): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(options.env ?? process.env);
    await assertRedisAnswers(config.redis.url);
  } catch (error) {
    if (error instanceof ConfigValidationError || error instanceof RedisUnavailableError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const app = await createApp({ config, clock: options.clock, imports: options.imports });
  const logger = app.get(Logger);
  installProcessFaultPolicy(logger, app.get(AppMetrics));
  installGracefulShutdown(app, logger, config.shutdownGraceMs);
  await app.listen(config.port, config.host);

  const url = await app.getUrl();
  logger.log(
    `TTFD Sync listening on ${url} with roles: ${[...config.roles].join(', ')}`,
    'Bootstrap',
  );
  if (config.adminTokenGenerated && config.hasRole('api')) {
    // Printed once, to the terminal of whoever started the app, never into the JSON log.
    process.stdout.write(
      `\nADMIN_TOKEN was not set; this run's admin token is:\n  ${config.adminToken}\n` +
        'Set ADMIN_TOKEN to keep one across restarts.\n\n',
    );
  }
}
