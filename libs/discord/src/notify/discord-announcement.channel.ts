import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { REST, Routes } from 'discord.js';
import { AnnouncementChannel, RankAnnouncements } from '@ttfd/economy';
import { DISCORD_REST } from '../rest/discord-rest';

/**
 * Rank-up announcements into the Discord channel the admin chose, over REST (works in a worker
 * without a gateway session). Names are plain text: no @mention pings anyone.
 */
@Injectable()
export class DiscordAnnouncementChannel
  implements AnnouncementChannel, OnModuleInit, OnModuleDestroy
{
  readonly platform = 'discord' as const;

  constructor(
    @Inject(DISCORD_REST) private readonly rest: REST,
    private readonly announcements: RankAnnouncements,
  ) {}

  onModuleInit(): void {
    this.announcements.register(this);
  }

  onModuleDestroy(): void {
    this.announcements.unregister(this.platform);
  }

  async post(channelId: string, text: string): Promise<void> {
    await this.rest.post(Routes.channelMessages(channelId), {
      body: { content: text, allowed_mentions: { parse: [] } },
    });
  }
}
