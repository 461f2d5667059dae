import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Guild, VoiceState } from 'discord.js';
import { Clock } from '@ttfd/clock';
import { newCorrelationId, withCorrelation } from '@ttfd/common';
import { XpRules } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { DiscordSettings } from '../discord-settings';
import { VoiceCreditor, VoiceMinuteCredit } from './voice-creditor';
import { VoiceSessionRepository } from './voice-session.repository';
import {
  EarningClock,
  earningUserIds,
  foldEarning,
  minutesCompleted,
  minutesToCredit,
  setEarning,
  VoiceMember,
} from './voice-rules';

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
 * Voice XP (flow 7). Keeps who is in which voice channel (from GUILD_CREATE, then voice state
 * updates), opens a `voice_sessions` row per member in voice, and accrues earning time with the
 * injected Clock whenever the earning set may change. A checkpoint (at least every minute)
 * credits the whole minutes earned so far, each under `voice:{session}:{minute}`, and stores
 * the earning time in the same transaction (VoiceCreditor), so after a crash only the time since
 * the last checkpoint is lost; a restart closes those sessions and starts fresh from the
 * gateway's voice states: downtime is never paid.
 *
 * Each tracker has an owner id that sorts by start time; it credits only rows it owns that are
 * still open (the fence), so two processes overlapping in a deploy credit each minute once.
 * While the gateway connection is down nobody earns (we cannot see who leaves); after a resume
 * the missed events replay, after a re-identify the tracker reconciles its sessions with the
 * fresh voice states. One session's failure never stops the others: it is retried at the next
 * tick, and a failed final credit on leave is kept and retried until it lands.
 *
 * Every change runs on one serial chain: a checkpoint never interleaves with an event.
 */
@Injectable()
export class VoiceTracker implements BeforeApplicationShutdown {
  private readonly logger = new Logger(VoiceTracker.name);
  private readonly members = new Map<string, VoiceMember>();
  private readonly sessions = new Map<string, TrackedSession>();
  private readonly left = new Map<string, LeftSession>();
  /** Sessions whose last credit failed: logged once until one succeeds. */
  private readonly failing = new Set<string>();
  private readonly owner: string;
  private afkChannelId: string | null = null;
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private started = false;
  /** The gateway connection is down: voice changes are not seen, so nobody earns. */
  private blind = false;

  constructor(
    private readonly settings: DiscordSettings,
    private readonly repository: VoiceSessionRepository,
    private readonly creditor: VoiceCreditor,
    private readonly identities: IdentityService,
    private readonly clock: Clock,
    private readonly rules: XpRules,
  ) {
    this.owner = `${String(clock.nowMs()).padStart(15, '0')}:${randomUUID()}`;
  }

  /**
   * The guild is ready (GUILD_CREATE read): the first time after login, rebuilds from its voice
   * states; after a re-identify, reconciles the open sessions with them.
   */
  start(guild: Guild): Promise<void> {
    return this.enqueue(async () => {
      if (this.started) {
        await this.reconcile(guild);
        return;
      }
      const closed = await this.repository.closeLeftOpen(this.owner);
      if (closed > 0)
        this.logger.log(`Closed ${closed} voice session(s) left open by an earlier process`);
      this.members.clear();
      this.sessions.clear();
      this.afkChannelId = guild.afkChannelId;
      const now = this.clock.nowMs();
      for (const state of guild.voiceStates.cache.values()) {
        if (state.channelId === null) continue;
        this.members.set(state.id, toVoiceMember(state));
        await this.openIfHuman(state, now);
      }
      this.blind = false;
      this.recompute(now);
      this.started = true;
      if (!this.timer) {
        // Each tick is its own work, not part of the `ready` event that started the timer.
        this.timer = setInterval(
          () =>
            void withCorrelation(newCorrelationId('dc-voice-checkpoint'), () => this.checkpoint()),
          this.settings.voiceCheckpointMs,
        );
        this.timer.unref();
      }
    });
  }

  /** The gateway connection dropped: stop every earning stretch until we see again. */
  connectionLost(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.started || this.blind) return;
      this.blind = true;
      this.recompute(this.clock.nowMs());
    });
  }

  /** The session resumed: the missed events were replayed, so the state is current again. */
  connectionResumed(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.started || !this.blind) return;
      this.blind = false;
      this.recompute(this.clock.nowMs());
    });
  }

  onVoiceStateUpdate(_before: VoiceState, after: VoiceState): Promise<void> {
    if (after.guild.id !== this.settings.guildId) return Promise.resolve();
    return this.enqueue(async () => {
      if (!this.started) return; // the rebuild at ready will read this state from the cache
      const now = this.clock.nowMs();
      const userId = after.id;
      // Minutes completed so far belong to the channel and roles they were earned with.
      this.recompute(now);
      if (after.guild.afkChannelId !== this.afkChannelId) {
        // A moderator changed the AFK channel: fold under the old rule first.
        this.recompute(now);
        this.afkChannelId = after.guild.afkChannelId;
      }
      if (after.channelId === null) {
        this.members.delete(userId);
        await this.finish(userId, now);
      } else {
        this.members.set(userId, toVoiceMember(after));
        const session = this.sessions.get(userId);
        if (session)
          session.channelId = after.channelId; // moving keeps the count
        else await this.openIfHuman(after, now);
      }
      this.recompute(now);
    });
  }

  /** Credits the whole minutes earned so far in every open session (the periodic tick). */
  checkpoint(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.started) return;
      const now = this.clock.nowMs();
      this.recompute(now);
      for (const userId of [...this.left.keys()]) await this.retryLeft(userId);
      for (const [userId, session] of [...this.sessions]) {
        await this.creditIsolated(userId, session, now, false);
      }
    });
  }

  /** Resolves once everything queued so far has run (tests, shutdown). */
  idle(): Promise<void> {
    return this.enqueue(async () => undefined);
  }

  isEarning(userId: string): boolean {
    return this.sessions.get(userId)?.clock.earningSince != null;
  }

  hasSession(userId: string): boolean {
    return this.sessions.has(userId);
  }

  get ready(): boolean {
    return this.started;
  }

  /** A clean stop checkpoints what was really earned; the next start pays nothing for the gap. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.checkpoint();
    this.started = false;
  }

  /** After a re-identify: members who left while we were blind end, newcomers start. */
  private async reconcile(guild: Guild): Promise<void> {
    const now = this.clock.nowMs();
    this.recompute(now);
    this.afkChannelId = guild.afkChannelId;
    const inVoice = new Map<string, VoiceState>();
    for (const state of guild.voiceStates.cache.values()) {
      if (state.channelId !== null) inVoice.set(state.id, state);
    }
    for (const userId of [...this.members.keys()]) {
      if (inVoice.has(userId)) continue;
      this.members.delete(userId);
      await this.finish(userId, now);
    }
    for (const [userId, state] of inVoice) {
      this.members.set(userId, toVoiceMember(state));
      const session = this.sessions.get(userId);
      if (session) session.channelId = state.channelId!;
      else await this.openIfHuman(state, now);
    }
    this.blind = false;
    this.recompute(now);
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

  /** The member left: the last credit closes the row; if it fails, it is retried later. */
  private async finish(userId: string, now: number): Promise<void> {
    const session = this.sessions.get(userId);
    if (!session) return;
    this.sessions.delete(userId);
    this.left.set(userId, { session, leftAt: now });
    await this.retryLeft(userId);
  }

  private async retryLeft(userId: string): Promise<void> {
    const pending = this.left.get(userId);
    if (!pending) return;
    if (await this.creditIsolated(userId, pending.session, pending.leftAt, true)) {
      this.left.delete(userId);
    }
  }

  /** Folds earning time at `now` and starts or stops each session's stretch by the rules. */
  private recompute(now: number): void {
    const earning = this.blind
      ? new Set<string>()
      : earningUserIds(this.members.values(), this.afkChannelId);
    for (const [userId, session] of this.sessions) {
      this.noteCompleted(userId, session, now);
      session.clock = setEarning(session.clock, earning.has(userId), now);
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
    const roleIds = this.members.get(userId)?.roleIds ?? [];
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

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work).catch((error: Error) => {
      this.logger.error(`Voice tracking step failed: ${error.stack ?? error.message}`);
    });
    this.chain = next;
    return next;
  }
}

function toVoiceMember(state: VoiceState): VoiceMember {
  return {
    userId: state.id,
    channelId: state.channelId,
    bot: state.member?.user.bot ?? false,
    selfDeaf: state.selfDeaf ?? false,
    serverDeaf: state.serverDeaf ?? false,
    roleIds: state.member ? [...state.member.roles.cache.keys()] : [],
  };
}
