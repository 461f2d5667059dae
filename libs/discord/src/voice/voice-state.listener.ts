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
    // After login the guild, with everyone's voice state, came in GUILD_CREATE.
    onClientEvent(
      this.client,
      'clientReady',
      this.logger,
      async (client) => {
        const guild = client.guilds.cache.get(this.settings.guildId);
        if (guild) await this.tracker.start(guild);
        else this.logger.error(`The bot is not in guild ${this.settings.guildId}: no voice XP`);
      },
      true,
    );
    onClientEvent(this.client, 'voiceStateUpdate', this.logger, (before, after) =>
      this.tracker.onVoiceStateUpdate(before, after),
    );
  }
}
