import { Injectable } from '@nestjs/common';
import type { ProfileView } from '@ttfd/economy';
import type { Locale } from '@ttfd/i18n';
import { CardCache } from './card-cache';
import { CardRenderer } from './card-renderer';
import { cardVersion, type RankCardData } from './rank-card';

/**
 * Where a player's picture comes from. `key` identifies the picture (it is part of the card's
 * version); `load` fetches its bytes, only when the card has to be drawn, and answers null when
 * it cannot (the initials stand in).
 */
export interface AvatarSource {
  key: string;
  load: () => Promise<Buffer | null>;
}

export interface CardRequest {
  profile: ProfileView;
  locale: Locale;
  displayName: string;
  avatar: AvatarSource | null;
}

export interface RankCardImage {
  png: Buffer;
  version: string;
  /** `rank-<version>.png`: a new picture gets a new name, so no client shows a stale one. */
  fileName: string;
  cached: boolean;
}

/** The rank card of a profile, drawn once per (account, version) and then served from memory. */
@Injectable()
export class RankCards {
  private readonly cache = new CardCache();

  constructor(private readonly renderer: CardRenderer) {}

  /** The card, from the cache when this profile's card was drawn before, else drawn now. */
  async cardOf(request: CardRequest): Promise<RankCardImage> {
    const { data, version, slot } = keyOf(request);
    const { png, cached } = await this.cache.get(slot, version, async () =>
      this.renderer.render(data, request.avatar ? await request.avatar.load() : null),
    );
    return { png, version, fileName: fileNameOf(version), cached };
  }

  /** The version of the card this request shows: it names the picture (and its file). */
  versionOf(request: CardRequest): string {
    return keyOf(request).version;
  }

  /**
   * The card when it is cached (drawn, or being drawn) for exactly what this profile shows; null
   * when it would have to be drawn: nothing is drawn here.
   */
  cachedCardOf(request: CardRequest): Promise<RankCardImage> | null {
    const { version, slot } = keyOf(request);
    const png = this.cache.peek(slot, version);
    if (!png) return null;
    return png.then((bytes) => ({
      png: bytes,
      version,
      fileName: fileNameOf(version),
      cached: true,
    }));
  }
}

/** A card is cached per (account, language), valid while its version (what it shows) holds. */
function keyOf(request: CardRequest): { data: RankCardData; version: string; slot: string } {
  const data = cardData(request);
  return {
    data,
    version: cardVersion(data),
    slot: `${request.profile.accountId}:${request.locale}`,
  };
}

function fileNameOf(version: string): string {
  return `rank-${version}.png`;
}

export function cardData({ profile, locale, displayName, avatar }: CardRequest): RankCardData {
  const name = (rank: { nameRu: string; nameEn: string }) =>
    locale === 'ru' ? rank.nameRu : rank.nameEn;
  return {
    locale,
    displayName,
    rank: { id: profile.rank.id, name: name(profile.rank) },
    nextRankName: profile.nextRank ? name(profile.nextRank) : null,
    xp: profile.xp,
    xpIntoRank: profile.progress.xpIntoRank,
    xpForNextRank: profile.progress.xpForNextRank,
    coins: profile.coins,
    seasonPlace: profile.season?.place ?? null,
    achievements: profile.achievements.map(name),
    avatarKey: avatar?.key ?? null,
  };
}
