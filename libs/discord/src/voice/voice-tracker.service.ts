import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Guild, VoiceState } from 'discord.js';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { newCorrelationId, withCorrelation } from '@ttfd/common';
import { inTransaction } from '@ttfd/database';
import { LedgerService } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { DiscordSettings } from '../discord-settings';
import { VoiceSessionRepository } from './voice-session.repository';
import {
  EarningClock,
  earningUserIds,
  foldEarning,
  minutesToCredit,
  setEarning,
  VoiceMember,
} from './voice-rules';

interface TrackedSession {
  sessionId: string;
  channelId: string;
  clock: EarningClock;
  creditedMinutes: number;
}

/**
 * Voice XP (flow 7). Keeps who is in which voice channel (from GUILD_CREATE, then voice state
 * updates), opens a `voice_sessions` row per member in voice, and accrues earning time with the
 * injected Clock whenever the earning set may change. A checkpoint (at least every minute)
 * credits the whole minutes earned so far, each under `voice:{session}:{minute}`, and stores
 * the earning time in the same transaction, so after a crash only the time since the last
 * checkpoint is lost; a restart closes those sessions and starts fresh from the gateway's
 * voice states: downtime is never paid.
 *
 * Every change runs on one serial chain: a checkpoint never interleaves with an event.
 */
@Injectable()
export class VoiceTracker implements BeforeApplicationShutdown {
  private readonly logger = new Logger(VoiceTracker.name);
  private readonly members = new Map<string, VoiceMember>();
  private readonly sessions = new Map<string, TrackedSession>();
  private afkChannelId: string | null = null;
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private started = false;

  constructor(
    private readonly settings: DiscordSettings,
    private readonly repository: VoiceSessionRepository,
    private readonly identities: IdentityService,
    private readonly ledger: LedgerService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Rebuilds from the guild's voice states (GUILD_CREATE) after login. */
  start(guild: Guild): Promise<void> {
    return this.enqueue(async () => {
      const closed = await this.repository.closeLeftOpen();
      if (closed > 0)
        this.logger.log(`Closed ${closed} voice session(s) left open at the last stop`);
      this.members.clear();
      this.sessions.clear();
      this.afkChannelId = guild.afkChannelId;
      const now = this.clock.nowMs();
      for (const state of guild.voiceStates.cache.values()) {
        if (state.channelId === null) continue;
        this.members.set(state.id, toVoiceMember(state));
        await this.openIfHuman(state, now);
      }
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

  onVoiceStateUpdate(_before: VoiceState, after: VoiceState): Promise<void> {
    if (after.guild.id !== this.settings.guildId) return Promise.resolve();
    return this.enqueue(async () => {
      if (!this.started) return; // the rebuild at ready will read this state from the cache
      const now = this.clock.nowMs();
      const userId = after.id;
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
      for (const session of this.sessions.values()) await this.credit(session, now, false);
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

  private async openIfHuman(state: VoiceState, now: number): Promise<void> {
    const user = state.member?.user;
    if (!user || user.bot || state.channelId === null) return;
    const { accountId } = await this.identities.resolve('discord', user.id, {
      username: user.username,
      displayName: state.member?.displayName ?? user.globalName ?? undefined,
    });
    const sessionId = await this.repository.open({
      accountId,
      discordUserId: user.id,
      channelId: state.channelId,
      at: new Date(now),
    });
    this.sessions.set(user.id, {
      sessionId,
      channelId: state.channelId,
      clock: { earningMs: 0, earningSince: null },
      creditedMinutes: 0,
    });
  }

  private async finish(userId: string, now: number): Promise<void> {
    const session = this.sessions.get(userId);
    if (!session) return;
    this.sessions.delete(userId);
    await this.credit(session, now, true);
  }

  /** Folds earning time at `now` and starts or stops each session's stretch by the rules. */
  private recompute(now: number): void {
    const earning = earningUserIds(this.members.values(), this.afkChannelId);
    for (const [userId, session] of this.sessions) {
      session.clock = setEarning(session.clock, earning.has(userId), now);
    }
  }

  private async credit(session: TrackedSession, now: number, close: boolean): Promise<void> {
    const clock = foldEarning(session.clock, now);
    const minutes = minutesToCredit(clock.earningMs, session.creditedMinutes);
    await inTransaction(this.dataSource, undefined, async (tx) => {
      const accountId = await this.repository.lockForCheckpoint(tx, session.sessionId);
      for (const minute of minutes) {
        await this.ledger.award(
          {
            accountId,
            xp: this.settings.voiceXpPerMinute,
            reason: 'discord_voice',
            source: 'discord',
            idempotencyKey: `voice:${session.sessionId}:${minute}`,
            entityId: session.sessionId,
          },
          tx,
        );
      }
      await this.repository.checkpoint(tx, {
        sessionId: session.sessionId,
        channelId: session.channelId,
        earningMs: clock.earningMs,
        creditedMinutes: session.creditedMinutes + minutes.length,
        at: new Date(now),
        close,
      });
    });
    session.clock = clock;
    session.creditedMinutes += minutes.length;
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
  };
}
