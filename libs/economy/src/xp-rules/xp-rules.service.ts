import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { activeEvents, applyXpRules, XpContext, XpRuleMetadata, XpVerdict } from './xp-amount';
import { XpRulesStore } from './xp-rules.store';
import { EMPTY_XP_RULES, XpEvent, XpRulesSnapshot, XpSource } from './xp-rules.types';

/** An amount and the rule behind it (xp 0: the rules give nothing). */
export interface XpAward {
  xp: number;
  metadata: XpRuleMetadata;
}

/**
 * The XP rules as this process holds them: a snapshot in memory, so a message's XP costs no
 * query. Every XP_RULES_REFRESH_MS (at most 5 s) one timer reads the stored version (one row)
 * and reloads the snapshot when it moved, so a change made over the API on any process is in
 * effect everywhere within that time; the process that made it reloads at once. A failed check
 * keeps the last snapshot (warned once until it works again): earning goes on under the rules
 * last seen.
 */
@Injectable()
export class XpRules implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(XpRules.name);
  private snapshot: XpRulesSnapshot = EMPTY_XP_RULES;
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  private failing = false;
  private readonly refreshMs: number;
  private readonly maxXp: number;

  constructor(
    private readonly store: XpRulesStore,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.refreshMs = config.env.XP_RULES_REFRESH_MS;
    this.maxXp = config.env.AWARD_MAX_DELTA;
  }

  async onModuleInit(): Promise<void> {
    await this.refresh(true);
    this.timer = setInterval(() => void this.refresh(false), this.refreshMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  current(): XpRulesSnapshot {
    return this.snapshot;
  }

  /** The amount for `base` under the rules in force (see `applyXpRules`). */
  apply(context: Omit<XpContext, 'maxXp'>): XpVerdict {
    return applyXpRules(this.snapshot, { ...context, maxXp: this.maxXp });
  }

  /** The rule in force now for a source, to pin in a game at its start (`applyPinned`). */
  pin(source: XpSource): XpRuleMetadata {
    return this.apply({ source, base: 1, at: this.clock.now() }).metadata;
  }

  /**
   * A game's amount under the rule pinned when it started (the amount the player was shown
   * before play), whatever changed since; `pinned` null (a game older than the rules): now's.
   */
  applyPinned(pinned: XpRuleMetadata | null | undefined, source: XpSource, base: number): XpAward {
    if (!pinned) {
      const verdict = this.apply({ source, base, at: this.clock.now() });
      return verdict.earns ? verdict : { xp: 0, metadata: verdict.metadata };
    }
    const metadata: XpRuleMetadata = { ...pinned, base };
    delete metadata.capped;
    if (pinned.multiplier === 0) return { xp: 0, metadata };
    let xp = Math.max(1, Math.round(base * pinned.multiplier));
    if (xp > this.maxXp) {
      xp = this.maxXp;
      metadata.capped = true;
    }
    return { xp, metadata };
  }

  /** Events running now (or at `at`): /profile and the bots' help show them. */
  activeEvents(at: Date = this.clock.now()): XpEvent[] {
    return activeEvents(this.snapshot.events, at);
  }

  /** Reloads now (after a change made by this process). */
  reload(): Promise<void> {
    return this.refresh(true);
  }

  private refresh(force: boolean): Promise<void> {
    // One check at a time: a slow database never piles timers' reads up.
    if (this.refreshing)
      return force ? this.refreshing.then(() => this.refresh(true)) : this.refreshing;
    this.refreshing = this.check(force).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async check(force: boolean): Promise<void> {
    try {
      if (!force && (await this.store.version()) === this.snapshot.version) {
        this.recovered();
        return;
      }
      const next = await this.store.load();
      if (next.version !== this.snapshot.version && this.snapshot.version !== 0) {
        this.logger.log(`XP rules version ${next.version} in effect`);
      }
      this.snapshot = next;
      this.recovered();
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          `XP rules not refreshed, version ${this.snapshot.version} stays in effect: ${(error as Error).message}`,
        );
      }
    }
  }

  private recovered(): void {
    if (this.failing) this.logger.log('XP rules refresh works again');
    this.failing = false;
  }
}
