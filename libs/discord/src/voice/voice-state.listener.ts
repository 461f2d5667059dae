import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Client } from 'discord.js';
import { DiscordSettings } from '../discord-settings';
import { onClientEvent } from '../gateway/client-events';
import { VoiceTracker } from './voice-tracker.service';

/** Feeds the gateway's voice events to the tracker. */
@Injectable()
export class VoiceStateListener implements OnModuleInit {
  private readonly logger = new Logger(VoiceStateListener.name);

  constructor(
    private readonly tracker: VoiceTracker,
    private readonly settings: DiscordSettings,
    private readonly client: Client,
  ) {}

  onModuleInit(): void {
    // A shard is ready once GUILD_CREATE (everyone's voice state) came in: after login, and
    // again after every re-identify (a session Discord did not let us resume), when what
    // happened in between is only in the fresh voice states.
    onClientEvent(this.client, 'shardReady', this.logger, async () => {
      const guild = this.client.guilds.cache.get(this.settings.guildId);
      if (guild) await this.tracker.start(guild);
      else this.logger.error(`The bot is not in guild ${this.settings.guildId}: no voice XP`);
    });
    onClientEvent(this.client, 'shardReconnecting', this.logger, () =>
      this.tracker.connectionLost(),
    );
    onClientEvent(this.client, 'shardDisconnect', this.logger, () => this.tracker.connectionLost());
    onClientEvent(this.client, 'shardResume', this.logger, () => this.tracker.connectionResumed());
    onClientEvent(this.client, 'voiceStateUpdate', this.logger, (before, after) =>
      this.tracker.onVoiceStateUpdate(before, after),
    );
  }
}
