import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AnnouncementChannel, RankAnnouncements } from '@ttfd/economy';
import { RateLimitedSender } from '../sending/rate-limited-sender';

/** Rank-up announcements into the Telegram group the admin chose (plain text, no parse mode). */
@Injectable()
export class TelegramAnnouncementChannel
  implements AnnouncementChannel, OnModuleInit, OnModuleDestroy
{
  readonly platform = 'telegram' as const;

  constructor(
    private readonly sender: RateLimitedSender,
    private readonly announcements: RankAnnouncements,
  ) {}

  onModuleInit(): void {
    this.announcements.register(this);
  }

  onModuleDestroy(): void {
    this.announcements.unregister(this.platform);
  }

  async post(chatId: string, text: string): Promise<void> {
    await this.sender.sendMessage(chatId, text);
  }
}
