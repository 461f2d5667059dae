import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { NotifierRegistry, RoleGatewayRegistry } from '@ttfd/sync';
import { DiscordNotifier } from '../notify/discord.notifier';
import { DiscordRoleGateway } from './discord-role.gateway';

/**
 * Hands the sync engine this process's Discord ports at boot, and takes them back at shutdown
 * so late jobs are skipped as "no gateway" instead of calling a destroyed client.
 */
@Injectable()
export class DiscordPortsRegistration implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly roleGateways: RoleGatewayRegistry,
    private readonly notifiers: NotifierRegistry,
    private readonly roleGateway: DiscordRoleGateway,
    private readonly notifier: DiscordNotifier,
  ) {}

  onModuleInit(): void {
    this.roleGateways.register(this.roleGateway);
    this.notifiers.register(this.notifier);
  }

  onApplicationShutdown(): void {
    this.roleGateways.unregister();
    this.notifiers.unregister('discord');
  }
}
