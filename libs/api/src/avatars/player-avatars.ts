import { Injectable, Logger } from '@nestjs/common';
import { Routes } from 'discord.js';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AvatarFetcher } from '@ttfd/cards';
import { DiscordApi } from '../admin/discord-api';

/** Discord serves powers of two; the leaderboard draws avatars at 40 px (80 on a 2x screen). */
const AVATAR_SIZE = 128;
/** How long a picture (or its absence) is kept: a changed avatar shows within the hour. */
export const AVATAR_CACHE_MS = 60 * 60_000;
/** Bounds the memory: about 1,000 small PNGs. */
const MAX_CACHED = 1_000;

interface Cached {
  png: Buffer | null;
  at: number;
}

interface DiscordMember {
  avatar?: string | null;
  user?: { id: string; avatar?: string | null };
}

/**
 * Players' avatars served from our own origin (the dashboard's CSP loads images from 'self'
 * only, and a visitor's browser never talks to Discord): the member's server avatar, else the
 * account's, read over REST and fetched from Discord's CDN once per hour per player, kept in a
 * bounded in-memory cache (absences too, so a flood of requests costs one lookup each hour).
 * Null for a hidden player, one without Discord, or with Discord's default avatar: the page
 * shows initials.
 */
@Injectable()
export class PlayerAvatars {
  private readonly logger = new Logger(PlayerAvatars.name);
  private readonly cache = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<Buffer | null>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly discord: DiscordApi,
    private readonly fetcher: AvatarFetcher,
    private readonly clock: Clock,
  ) {}

  async png(accountId: string): Promise<Buffer | null> {
    const now = this.clock.nowMs();
    const cached = this.cache.get(accountId);
    if (cached && now - cached.at < AVATAR_CACHE_MS) return cached.png;
    let running = this.inFlight.get(accountId);
    if (!running) {
      running = this.load(accountId).finally(() => this.inFlight.delete(accountId));
      this.inFlight.set(accountId, running);
    }
    const png = await running;
    this.remember(accountId, { png, at: now });
    return png;
  }

  private async load(accountId: string): Promise<Buffer | null> {
    const rows: { external_id: string }[] = await this.dataSource.query(
      `SELECT i.external_id FROM accounts a
         JOIN identities i ON i.account_id = a.id AND i.platform = 'discord'
        WHERE a.id = $1::bigint AND a.merged_into IS NULL AND NOT a.leaderboard_hidden`,
      [accountId],
    );
    const userId = rows[0]?.external_id;
    const { rest, guildId, cdnBase } = this.discord;
    if (!userId || !rest || !guildId) return null;
    let member: DiscordMember;
    try {
      member = (await rest.get(Routes.guildMember(guildId, userId))) as DiscordMember;
    } catch (error) {
      // Left the guild, or Discord is away: initials (retried after the cache time).
      this.logger.warn(`Avatar of account ${accountId}: ${(error as Error).message}`);
      return null;
    }
    const path = member.avatar
      ? `guilds/${guildId}/users/${userId}/avatars/${member.avatar}`
      : member.user?.avatar
        ? `avatars/${userId}/${member.user.avatar}`
        : null;
    if (!path) return null;
    return this.fetcher.download(
      `${cdnBase}/${path}.png?size=${AVATAR_SIZE}`,
      `of account ${accountId}`,
    );
  }

  private remember(accountId: string, entry: Cached): void {
    this.cache.delete(accountId);
    this.cache.set(accountId, entry);
    // A Map keeps insertion order: the first key is the least recently stored.
    if (this.cache.size > MAX_CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
