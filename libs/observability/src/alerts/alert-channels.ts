import { Logger } from '@nestjs/common';
import { REST } from '@discordjs/rest';
import { Telegram } from 'telegraf';
import { AppConfig } from '@ttfd/config';
import { boundedRestOptions, watchRest } from '../platform/discord-rest-watch';
import { PlatformCalls } from '../platform/platform-calls';
import { watchTelegram } from '../platform/telegram-watch';

/** A place an alert goes. Sent directly to the platform, never through the outbox it reports on. */
export interface AlertChannel {
  readonly name: 'telegram' | 'discord';
  send(text: string): Promise<void>;
}

export const ALERT_CHANNELS = Symbol('ALERT_CHANNELS');

class TelegramAlertChannel implements AlertChannel {
  readonly name = 'telegram' as const;
  private readonly telegram: Telegram;

  constructor(
    token: string,
    apiRoot: string,
    private readonly chatId: string,
    calls: PlatformCalls,
    timeoutMs: number,
  ) {
    this.telegram = new Telegram(token, { apiRoot });
    watchTelegram(this.telegram, calls, timeoutMs);
  }

  async send(text: string): Promise<void> {
    await this.telegram.sendMessage(this.chatId, text, {
      link_preview_options: { is_disabled: true },
    });
  }
}

class DiscordAlertChannel implements AlertChannel {
  readonly name = 'discord' as const;
  private readonly rest: REST;

  constructor(
    token: string,
    apiBase: string | undefined,
    private readonly channelId: string,
    calls: PlatformCalls,
    timeoutMs: number,
  ) {
    this.rest = watchRest(
      new REST({
        version: '10',
        ...(apiBase ? { api: apiBase } : {}),
        ...boundedRestOptions(timeoutMs),
      }).setToken(token),
      calls,
    );
  }

  async send(text: string): Promise<void> {
    await this.rest.post(`/channels/${this.channelId}/messages`, {
      // No pings from an alert text, whatever it quotes.
      body: { content: text.slice(0, 2000), allowed_mentions: { parse: [] } },
    });
  }
}

/** The channels this configuration can reach; a destination without its bot token is skipped. */
export function alertChannels(config: AppConfig, calls: PlatformCalls): AlertChannel[] {
  const timeoutMs = config.env.PLATFORM_CALL_TIMEOUT_MS;
  const logger = new Logger('AlertChannels');
  const channels: AlertChannel[] = [];
  const { telegramChatId, discordChannelId } = config.alerts;
  if (telegramChatId) {
    if (config.telegram) {
      channels.push(
        new TelegramAlertChannel(
          config.telegram.token,
          config.telegram.apiRoot,
          telegramChatId,
          calls,
          timeoutMs,
        ),
      );
    } else {
      logger.warn(
        'ALERT_TELEGRAM_CHAT_ID is set but TELEGRAM_BOT_TOKEN is not: no Telegram alerts',
      );
    }
  }
  if (discordChannelId) {
    if (config.discord) {
      channels.push(
        new DiscordAlertChannel(
          config.discord.token,
          config.discord.apiBase,
          discordChannelId,
          calls,
          timeoutMs,
        ),
      );
    } else {
      logger.warn(
        'ALERT_DISCORD_CHANNEL_ID is set but DISCORD_BOT_TOKEN is not: no Discord alerts',
      );
    }
  }
  return channels;
}
