import { Injectable, OnModuleInit } from '@nestjs/common';
import { Client, Status } from 'discord.js';
import { HealthRegistry } from '@ttfd/observability';
import { DiscordSettings } from '../discord-settings';

/** Readiness check `discord`: the gateway session is ready and sees the community guild. */
@Injectable()
export class DiscordReadiness implements OnModuleInit {
  constructor(
    private readonly client: Client,
    private readonly health: HealthRegistry,
    private readonly settings: DiscordSettings,
  ) {}

  onModuleInit(): void {
    this.health.register('discord', () => Promise.resolve(this.state()));
  }

  private state(): { ok: true; detail: string } | { ok: false; detail: string } {
    if (!this.client.isReady() || this.client.ws.status !== Status.Ready) {
      return { ok: false, detail: `gateway not ready (status ${Status[this.client.ws.status]})` };
    }
    if (!this.client.guilds.cache.has(this.settings.guildId)) {
      return { ok: false, detail: `guild ${this.settings.guildId} not available to the bot` };
    }
    return { ok: true, detail: `ready as ${this.client.user.tag}` };
  }
}
