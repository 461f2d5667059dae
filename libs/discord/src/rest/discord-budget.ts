import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS } from '@ttfd/database';
import { DiscordSettings } from '../discord-settings';
import { SharedRateLimiter, type CallPriority, type RateWindow } from './shared-rate-limiter';

/**
 * Discord's budget, shared by every process that holds the bot token: the role share
 * (DISCORD_ROLE_REQUESTS_PER_SECOND) and the DM share (DISCORD_DM_REQUESTS_PER_SECOND) are
 * sliding one-second windows in Redis, at most 50 together (Discord's global limit), and role
 * changes also keep the member-role bucket per guild when one is set
 * (DISCORD_MEMBER_ROLE_BUCKET_LIMIT). Each call takes its token before discord.js sends it, so
 * two worker processes together stay under Discord's limits and meet no 429.
 *
 * discord.js's own limiter stays: its per-route buckets (from Discord's headers) and its
 * per-client `globalRequestsPerSecond` at the same share, which never binds while Redis answers
 * (a sliding window is stricter than its fixed one) and is each process's fallback when Redis
 * does not.
 *
 * Bulk role calls (a mass resync) fill each window only up to DISCORD_BULK_PERCENT while live
 * ones are about: the rest is kept for them, so a rank-up's role lands within a window's length
 * during a mass change; alone, a mass change may use the whole window.
 */
@Injectable()
export class DiscordBudget {
  private readonly limiter: SharedRateLimiter;
  private readonly roles: RateWindow;
  private readonly dms: RateWindow;
  private readonly memberRoles: RateWindow | null;

  constructor(@Inject(REDIS) redis: Redis, settings: DiscordSettings) {
    this.limiter = new SharedRateLimiter(redis);
    // Keyed by the bot (a hash of its token, never the token): Discord's limits are per bot.
    const bot = createHash('sha256').update(settings.token).digest('hex').slice(0, 16);
    const base = `discord:budget:${bot}`;
    this.roles = window(`${base}:roles`, settings.roleRequestsPerSecond, 1_000, settings.bulkShare);
    this.dms = window(`${base}:dms`, settings.dmRequestsPerSecond, 1_000, 1);
    const bucket = settings.memberRoleBucket;
    this.memberRoles = bucket
      ? window(
          `${base}:guild:${settings.guildId}:member-roles`,
          bucket.limit,
          bucket.windowMs,
          settings.bulkShare,
        )
      : null;
  }

  /** Before a role call: a read or a listing (`memberRole` false), or a PUT / DELETE (true). */
  async roleCall(priority: CallPriority, memberRole: boolean): Promise<void> {
    await this.limiter.take(
      memberRole && this.memberRoles ? [this.roles, this.memberRoles] : [this.roles],
      priority,
    );
  }

  /** Before a DM call (opening the channel, or sending the message). */
  async dmCall(): Promise<void> {
    await this.limiter.take([this.dms], 'live');
  }
}

/**
 * Added to each of Discord's windows: a token is taken when the call leaves the limiter, but
 * Discord counts it when it arrives, and calls of one window that travel slower than the next
 * window's would otherwise meet there (measured with test/discord/shared-rate-limiter: without
 * it, two processes at 50/s got 2-3 global 429s from the fake in every run). Costs ~9% of the
 * rate. 50 ms passed that test on a quiet machine and carried 15.3 rank-ups/s with DMs in the
 * bench (14.8 with 100 ms), but the bench's mass change, two workers at the full member-role
 * bucket on a busy machine, then met 37 answers 429: the margin is what keeps Discord's count
 * of invalid requests at zero, so it stays at 100 ms.
 */
const ARRIVAL_MARGIN_MS = 100;

function window(key: string, limit: number, windowMs: number, bulkShare: number): RateWindow {
  return {
    key,
    limit,
    windowMs: windowMs + ARRIVAL_MARGIN_MS,
    bulkLimit: Math.max(1, Math.floor(limit * bulkShare)),
  };
}
