import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Counter, Gauge } from 'prom-client';
import { REDIS } from '@ttfd/database';
import { HealthRegistry, MetricsRegistry } from '@ttfd/observability';
import { DiscordSettings } from '../discord-settings';

/** How long a process trusts its copy of the shared pauses before reading them again. */
const REFRESH_MS = 1_000;

/**
 * Roles Discord keeps refusing with 403 (50013 Missing Permissions: the role sits above the
 * bot's, or the bot lost Manage Roles) are paused: after DISCORD_ROLE_PAUSE_AFTER_403S refusals
 * in a row, calls for that role stop for DISCORD_ROLE_PAUSE_MS and fail fast with no request
 * made. Discord bans a bot's IP after 10,000 invalid requests (401 / 403 / 429) in 10 minutes,
 * and a mass change on a misconfigured role would get there.
 *
 * Shared by every process through one Redis hash (`count:<role>` refusals in a row,
 * `until:<role>` end of the pause); each process reads it at most once a second, so a role call
 * costs no extra round trip. A success clears the role's count. Redis down: each process keeps
 * its own copy (pauses still apply where they were seen). Times are wall time (Date.now), not
 * the domain clock: the pause is about Discord's real minutes, like MemberLock's waits.
 *
 * Seen in /health (check `discord-roles`: degraded, naming the paused roles) and in the metrics
 * (`ttfd_discord_roles_paused`, `ttfd_discord_role_calls_refused_total{reason}`).
 */
@Injectable()
export class RolePauses implements OnModuleInit {
  private readonly logger = new Logger('RolePauses');
  private readonly key: string;
  private snapshot = new Map<string, string>();
  private readAt = 0;
  private readonly refused: Counter<'reason'>;
  private readonly pausedGauge: Gauge;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly settings: DiscordSettings,
    private readonly health: HealthRegistry,
    metrics: MetricsRegistry,
  ) {
    this.key = `discord:role-pauses:${settings.guildId}`;
    const registers = [metrics.registry];
    this.refused =
      (metrics.registry.getSingleMetric('ttfd_discord_role_calls_refused_total') as
        Counter<'reason'> | undefined) ??
      new Counter({
        name: 'ttfd_discord_role_calls_refused_total',
        help: "Role calls refused: 'forbidden' (Discord answered 403), 'paused' (no call made)",
        labelNames: ['reason'],
        registers,
      });
    this.pausedGauge =
      (metrics.registry.getSingleMetric('ttfd_discord_roles_paused') as Gauge | undefined) ??
      new Gauge({
        name: 'ttfd_discord_roles_paused',
        help: 'Roles paused after repeated 403 refusals (no calls until the pause ends)',
        registers,
      });
    metrics.onScrape('discord-role-pauses', async () => {
      this.pausedGauge.set((await this.paused()).length);
    });
  }

  onModuleInit(): void {
    this.health.register(
      'discord-roles',
      async () => {
        const paused = await this.paused();
        return paused.length === 0
          ? { status: 'ok' }
          : {
              status: 'degraded',
              detail: `roles paused after repeated 403 refusals: ${paused
                .map((p) => `${p.roleId} until ${new Date(p.until).toISOString()}`)
                .join(', ')}`,
            };
      },
      { critical: false },
    );
  }

  /** End of the role's pause (ms since epoch), or null when it may be called. */
  async pausedUntil(roleId: string): Promise<number | null> {
    await this.refresh();
    const until = Number(this.snapshot.get(`until:${roleId}`) ?? 0);
    if (until <= Date.now()) return null;
    this.refused.inc({ reason: 'paused' });
    return until;
  }

  /** Paused roles now, with the end of their pause. */
  async paused(): Promise<{ roleId: string; until: number }[]> {
    await this.refresh();
    const now = Date.now();
    return [...this.snapshot]
      .filter(([field, value]) => field.startsWith('until:') && Number(value) > now)
      .map(([field, value]) => ({ roleId: field.slice('until:'.length), until: Number(value) }));
  }

  /** Discord answered 403 for the role: counted, and the role paused at the threshold. */
  async forbidden(roleId: string): Promise<void> {
    this.refused.inc({ reason: 'forbidden' });
    let count: number;
    try {
      count = await this.redis.hincrby(this.key, `count:${roleId}`, 1);
    } catch {
      count = Number(this.snapshot.get(`count:${roleId}`) ?? 0) + 1;
    }
    this.snapshot.set(`count:${roleId}`, String(count));
    if (count < this.settings.rolePauseAfter403s) return;
    const until = Date.now() + this.settings.rolePauseMs;
    this.snapshot.set(`until:${roleId}`, String(until));
    this.logger.warn(
      `role ${roleId} paused until ${new Date(until).toISOString()}: Discord refused it ${count} times in a row (403); check the bot's role position and Manage Roles`,
    );
    await this.redis
      .multi()
      .hset(this.key, `until:${roleId}`, String(until))
      .hdel(this.key, `count:${roleId}`)
      .exec()
      // This process keeps the pause (snapshot) either way; others learn of it on their own 403s.
      .catch((error: Error) =>
        this.logger.debug(`pause of role ${roleId} not shared through Redis: ${error.message}`),
      );
  }

  /** Discord applied a call for the role: its refusals in a row start again from zero. */
  async succeeded(roleId: string): Promise<void> {
    if (!this.snapshot.has(`count:${roleId}`)) return;
    this.snapshot.delete(`count:${roleId}`);
    await this.redis
      .hdel(this.key, `count:${roleId}`)
      // A stale count only makes a later pause come one refusal sooner.
      .catch((error: Error) =>
        this.logger.debug(`refusal count of role ${roleId} not reset: ${error.message}`),
      );
  }

  /** Ends every pause (an admin fixed the role or the mappings); the next calls go out. */
  async clear(): Promise<void> {
    this.snapshot.clear();
    await this.redis.del(this.key);
  }

  private async refresh(): Promise<void> {
    if (Date.now() - this.readAt < REFRESH_MS) return;
    try {
      this.snapshot = new Map(Object.entries(await this.redis.hgetall(this.key)));
      this.readAt = Date.now();
    } catch {
      // Redis down: keep the copy we have (pauses seen here still apply).
    }
  }
}
