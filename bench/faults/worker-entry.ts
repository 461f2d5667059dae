import 'reflect-metadata';
import { bootstrap } from '@ttfd/server';
import { BenchGatewayModule } from '../lib/bench-app';
import { HttpRoleGateway } from './http-role-gateway';

/**
 * The application as main.ts starts it (bootstrap(): config from the environment, APP_ROLES),
 * plus the drill's guild as its RoleGateway, registered as the Discord adapter registers its own.
 */
const guildUrl = process.env.DRILL_GUILD_URL;
bootstrap({
  imports: guildUrl ? [BenchGatewayModule.forRoot(new HttpRoleGateway(guildUrl))] : [],
}).catch((error: Error) => {
  process.stderr.write(`drill process failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
