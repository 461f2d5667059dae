import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { VoiceState } from 'discord.js';
import { Clock } from '@ttfd/clock';
import { XpRules } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { DiscordSettings } from '../discord-settings';
import { VoiceCreditor, VoiceMinuteCredit } from './voice-creditor';
import { VoiceRoster } from './voice-roster';
import {
  EarningClock,
  foldEarning,
  minutesCompleted,
  minutesToCredit,
  setEarning,
} from './voice-rules';
import { VoiceSessionRepository } from './voice-session.repository';

interface TrackedSession {
  sessionId: string;
  channelId: string;
  clock: EarningClock;
  creditedMinutes: number;
  /** Minutes completed but not credited yet: when, in which channel, with which roles. */
  completed: Map<number, CompletedMinute>;
}

interface CompletedMinute {
  at: number;
  channelId: string;
  roleIds: readonly string[];
}

/** A session whose member left but whose last credit failed: retried at each tick. */
interface LeftSession {
  session: TrackedSession;
  leftAt: number;
}

/**
 * The open `voice_sessions` of this process and the turning of their completed minutes into
 * awards (flow 7). Each session accrues earning time as the roster says who earns; a credit
 * pays the whole minutes earned so far, each priced by the XP rules in force when it completed,
 * under `voice:{session}:{minute}` (VoiceCreditor), with the earning time in the same
 * transaction.
 *
 * The owner id sorts by start time; only rows this owner still holds open are credited (the
 * fence), so two processes overlapping in a deploy credit each minute once. One session's
 * failure never stops the others: it is retried at the next tick, and a failed final credit on
 * leave is kept and retried until it lands. The caller (VoiceTracker) runs every call on one
 * serial chain.
 */
@Injectable()
export class VoiceSessionCredits {
  private readonly logger = new Logger(VoiceSessionCredits.name);
  private readonly sessions = new Map<string, TrackedSession>();
  private readonly left = new Map<string, LeftSession>();
  /** Sessions whose last credit failed: logged once until one succeeds. */
  private readonly failing = new Set<string>();
  private readonly owner: string;

  constructor(
    private readonly settings: DiscordSettings,
    private readonly repository: VoiceSessionRepository,
    private readonly creditor: VoiceCreditor,
    private readonly identities: IdentityService,
    private readonly roster: VoiceRoster,
    private readonly rules: XpRules,
    clock: Clock,
  ) {
    this.owner = `${String(clock.nowMs()).padStart(15, '0')}:${randomUUID()}`;
  }

  /** A fresh start: sessions an earlier process left open are closed unpaid (downtime). */
  async closeLeftOpen(): Promise<void> {
    const closed = await this.repository.closeLeftOpen(this.owner);
    if (closed > 0)
      this.logger.log(`Closed ${closed} voice session(s) left open by an earlier process`);
    this.sessions.clear();
  }

  /** The member is in voice: moving keeps the session (and its count), a newcomer opens one. */
  async enter(state: VoiceState, now: number): Promise<void> {
    const session = this.sessions.get(state.id);
    if (session && state.channelId !== null) session.channelId = state.channelId;
    else await this.openIfHuman(state, now);
  }

  /** The member left: the last credit closes the row; if it fails, it is retried later. */
  async finish(userId: string, now: number): Promise<void> {
    const session = this.sessions.get(userId);
    if (!session) return;
    this.sessions.delete(userId);
    this.left.set(userId, { session, leftAt: now });
    await this.retryLeft(userId);
  }

  /** Credits the whole minutes earned so far in every open session, and retries the left ones. */
  async checkpoint(now: number): Promise<void> {
    for (const userId of [...this.left.keys()]) await this.retryLeft(userId);
    for (const [userId, session] of [...this.sessions]) {
      await this.creditIsolated(userId, session, now, false);
    }
  }

  /** Folds earning time at `now` and starts or stops each session's stretch by the roster. */
  recompute(now: number): void {
    const earning = this.roster.earning();
    for (const [userId, session] of this.sessions) {
      this.noteCompleted(userId, session, now);
      session.clock = setEarning(session.clock, earning.has(userId), now);
    }
  }

  isEarning(userId: string): boolean {
    return this.sessions.get(userId)?.clock.earningSince != null;
  }

  hasSession(userId: string): boolean {
    return this.sessions.has(userId);
  }

  private async openIfHuman(state: VoiceState, now: number): Promise<void> {
    const user = state.member?.user;
    if (!user || user.bot || state.channelId === null) return;
    // Rejoined before a failed final credit landed: land it first, its row must close first.
    await this.retryLeft(user.id);
    const { accountId } = await this.identities.resolve('discord', user.id, {
      username: user.username,
      displayName: state.member?.displayName ?? user.globalName ?? undefined,
    });
    const sessionId = await this.repository.open({
      accountId,
      discordUserId: user.id,
      channelId: state.channelId,
      at: new Date(now),
      owner: this.owner,
    });
    if (!sessionId) {
      this.logger.warn(`Voice of ${user.id} is tracked by a newer process: not tracking it here`);
      return;
    }
    this.sessions.set(user.id, {
      sessionId,
      channelId: state.channelId,
      clock: { earningMs: 0, earningSince: null },
      creditedMinutes: 0,
      completed: new Map(),
    });
  }

  private async retryLeft(userId: string): Promise<void> {
    const pending = this.left.get(userId);
    if (!pending) return;
    if (await this.creditIsolated(userId, pending.session, pending.leftAt, true)) {
      this.left.delete(userId);
    }
  }

  /**
   * Credits one session; a failure is logged (once until it recovers) and left for the next
   * try, never thrown at the other sessions. True when the session is done with: credited, or
   * fenced off by another tracker (then it is dropped here).
   */
  private async creditIsolated(
    userId: string,
    session: TrackedSession,
    now: number,
    close: boolean,
  ): Promise<boolean> {
    this.noteCompleted(userId, session, now);
    const clock = foldEarning(session.clock, now);
    const minutes = minutesToCredit(clock.earningMs, session.creditedMinutes);
    try {
      const outcome = await this.creditor.credit({
        sessionId: session.sessionId,
        owner: this.owner,
        channelId: session.channelId,
        minutes: minutes.map((index) => this.priced(session, index, now)),
        earningMs: clock.earningMs,
        creditedMinutes: session.creditedMinutes + minutes.length,
        at: new Date(now),
        close,
      });
      if (this.failing.delete(session.sessionId)) {
        this.logger.log(`Voice session ${session.sessionId} credits again`);
      }
      if (outcome === 'fenced') {
        if (this.sessions.get(userId) === session) this.sessions.delete(userId);
        this.logger.warn(
          `Voice session ${session.sessionId} was closed by another process: no longer credited here`,
        );
        return true;
      }
      session.clock = clock;
      session.creditedMinutes += minutes.length;
      for (const index of minutes) session.completed.delete(index);
      return true;
    } catch (error) {
      if (!this.failing.has(session.sessionId)) {
        this.failing.add(session.sessionId);
        this.logger.error(
          `Voice session ${session.sessionId} not credited (retried at the next tick): ${(error as Error).message}`,
        );
      }
      return false;
    }
  }

  /** Remembers when (and where, with which roles) the running stretch's minutes completed. */
  private noteCompleted(userId: string, session: TrackedSession, now: number): void {
    const roleIds = this.roster.roleIds(userId);
    for (const [index, at] of minutesCompleted(session.clock, now)) {
      if (!session.completed.has(index)) {
        session.completed.set(index, { at, channelId: session.channelId, roleIds });
      }
    }
  }

  /** A minute's XP under the rules in force when it completed. */
  private priced(session: TrackedSession, index: number, now: number): VoiceMinuteCredit {
    const minute = session.completed.get(index) ?? {
      at: now,
      channelId: session.channelId,
      roleIds: [],
    };
    const verdict = this.rules.apply({
      source: 'discord_voice',
      base: this.settings.voiceXpPerMinute,
      at: new Date(minute.at),
      channelId: minute.channelId,
      roleIds: minute.roleIds,
    });
    return { index, xp: verdict.earns ? verdict.xp : 0, metadata: verdict.metadata };
  }
}
