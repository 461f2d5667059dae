import { Injectable, OnModuleInit } from '@nestjs/common';
import { Client, Status } from 'discord.js';
import { HealthRegistry, PlatformCalls, type HealthState } from '@ttfd/observability';
import { DiscordSettings } from '../discord-settings';

/**
 * Check `discord` of /health: `ok` when the gateway session is ready, sees the community guild
 * and the last minute's REST calls mostly succeeded; `degraded` otherwise. Not critical: while
 * Discord has a bad minute the API, the dashboard and Telegram go on serving.
 */
@Injectable()
export class DiscordReadiness implements OnModuleInit {
  constructor(
    private readonly client: Client,
    private readonly health: HealthRegistry,
    private readonly settings: DiscordSettings,
    private readonly calls: PlatformCalls,
  ) {}

  onModuleInit(): void {
    this.health.register('discord', () => Promise.resolve(this.state()), { critical: false });
  }

  private state(): HealthState {
    const api = this.calls.health('discord');
    if (!this.client.isReady() || this.client.ws.status !== Status.Ready) {
      return {
        ...api,
        status: 'degraded',
        detail: `gateway not ready (status ${Status[this.client.ws.status]})`,
      };
    }
    if (!this.client.guilds.cache.has(this.settings.guildId)) {
      return {
        ...api,
        status: 'degraded',
        detail: `guild ${this.settings.guildId} not available to the bot`,
      };
    }
    return api;
  }
}
