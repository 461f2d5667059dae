import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectBot } from 'nestjs-telegraf';
import { Telegraf } from 'telegraf';
import type { PhotoSize } from 'telegraf/types';
import { AvatarFetcher, type AvatarSource } from '@ttfd/cards';
import { Clock } from '@ttfd/clock';
import { ThrottledLog, describeError } from '@ttfd/common';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';

/** The card draws avatars 184 px wide: Telegram's 320 px size is the smallest that is sharp. */
const WANTED_SIDE = 184;

/**
 * A user's current profile photo for the rank card: `getUserProfilePhotos` names it (its
 * file_unique_id is part of the card's version), `getFile` and the file download fetch it, only
 * when the card is drawn. The download URL carries the bot token, so it is built here, handed
 * to the fetcher, and never logged or shown (logs name the file's unique id).
 */
@Injectable()
export class TelegramAvatars {
  /** How long a user's photo, once named, stands for their cards: a new photo shows after it. */
  static readonly FRESH_MS = 10 * 60_000;
  /** Users whose photo is remembered (the oldest forgotten first). */
  static readonly REMEMBERED = 10_000;

  private readonly refusals = new ThrottledLog(new Logger(TelegramAvatars.name));
  private readonly recent = new Map<number, { source: AvatarSource | null; at: number }>();

  constructor(
    @InjectBot() private readonly bot: Telegraf,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
    private readonly fetcher: AvatarFetcher,
    private readonly clock: Clock,
  ) {}

  /**
   * The photo named by `sourceOf` within FRESH_MS (null: none), without a Bot API call;
   * undefined when not known, so a first /profile need not wait for Telegram to name it.
   */
  recentSourceOf(userId: number): AvatarSource | null | undefined {
    const known = this.recent.get(userId);
    if (!known || this.clock.nowMs() - known.at >= TelegramAvatars.FRESH_MS) return undefined;
    return known.source;
  }

  /**
   * Null (initials) when the user has no photo, hides it, or the Bot API does not answer; what
   * the Bot API said is remembered for recentSourceOf (a failed call is not).
   */
  async sourceOf(userId: number): Promise<AvatarSource | null> {
    let photo: PhotoSize | undefined;
    try {
      const { photos } = await this.bot.telegram.getUserProfilePhotos(userId, 0, 1);
      photo = pickSize(photos[0] ?? []);
    } catch (error) {
      this.refusals.warn(
        'getUserProfilePhotos',
        `Profile photos of Telegram users unavailable (${describeError(error)}): initials instead`,
      );
      return null;
    }
    const source = photo ? this.sourceFor(photo) : null;
    this.remember(userId, source);
    return source;
  }

  private sourceFor({ file_id: fileId, file_unique_id: uniqueId }: PhotoSize): AvatarSource {
    return { key: `telegram:${uniqueId}`, load: () => this.download(fileId, uniqueId) };
  }

  private remember(userId: number, source: AvatarSource | null): void {
    this.recent.delete(userId);
    this.recent.set(userId, { source, at: this.clock.nowMs() });
    if (this.recent.size > TelegramAvatars.REMEMBERED) {
      this.recent.delete(this.recent.keys().next().value!);
    }
  }

  private async download(fileId: string, uniqueId: string): Promise<Buffer | null> {
    let path: string | undefined;
    try {
      path = (await this.bot.telegram.getFile(fileId)).file_path;
    } catch (error) {
      this.refusals.warn('getFile', `getFile of photo ${uniqueId} failed: ${describeError(error)}`);
      return null;
    }
    if (!path) return null;
    const root = this.settings.apiRoot.replace(/\/+$/, '');
    const url = `${root}/file/bot${this.settings.token}/${path}`;
    return this.fetcher.download(url, `photo ${uniqueId}`);
  }
}

/** The smallest size at least as wide as the card draws it, else the largest there is. */
export function pickSize(sizes: PhotoSize[]): PhotoSize | undefined {
  const bySide = [...sizes].sort((a, b) => a.width - b.width);
  return bySide.find((size) => size.width >= WANTED_SIDE) ?? bySide[bySide.length - 1];
}
