import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Guild, VoiceState } from 'discord.js';
import { Clock } from '@ttfd/clock';
import { newCorrelationId, withCorrelation } from '@ttfd/common';
import { DiscordSettings } from '../discord-settings';
import { VoiceRoster } from './voice-roster';
import { VoiceSessionCredits } from './voice-session-credits';

/**
 * Voice XP (flow 7), the orchestration: the gateway's events update the roster (VoiceRoster:
 * who is in which channel, the AFK channel, whether we can see), the sessions accrue earning
 * time with the injected Clock whenever the earning set may change, and a checkpoint (at least
 * every minute) credits the whole minutes earned so far (VoiceSessionCredits). After a crash
 * only the time since the last checkpoint is lost; a restart closes those sessions and starts
 * fresh from the gateway's voice states: downtime is never paid.
 *
 * While the gateway connection is down nobody earns (we cannot see who leaves); after a resume
 * the missed events replay, after a re-identify the tracker reconciles its sessions with the
 * fresh voice states.
 *
 * Every change runs on one serial chain: a checkpoint never interleaves with an event.
 */
@Injectable()
export class VoiceTracker implements BeforeApplicationShutdown {
  private readonly logger = new Logger(VoiceTracker.name);
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private started = false;

  constructor(
    private readonly settings: DiscordSettings,
    private readonly roster: VoiceRoster,
    private readonly sessions: VoiceSessionCredits,
    private readonly clock: Clock,
  ) {}

  /**
   * The guild is ready (GUILD_CREATE read): the first time after login, rebuilds from its voice
   * states; after a re-identify, reconciles the open sessions with them.
   */
  start(guild: Guild): Promise<void> {
    return this.enqueue(async () => {
      if (!this.started) {
        await this.sessions.closeLeftOpen();
        this.roster.clear();
      }
      await this.follow(guild);
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
      if (this.started && this.roster.setBlind(true)) this.sessions.recompute(this.clock.nowMs());
    });
  }

  /** The session resumed: the missed events were replayed, so the state is current again. */
  connectionResumed(): Promise<void> {
    return this.enqueue(async () => {
      if (this.started && this.roster.setBlind(false)) this.sessions.recompute(this.clock.nowMs());
    });
  }

  onVoiceStateUpdate(_before: VoiceState, after: VoiceState): Promise<void> {
    if (after.guild.id !== this.settings.guildId) return Promise.resolve();
    return this.enqueue(async () => {
      if (!this.started) return; // the rebuild at ready will read this state from the cache
      const now = this.clock.nowMs();
      // Minutes completed so far belong to the channel, roles and AFK rule they were earned
      // with: fold before anything changes.
      this.sessions.recompute(now);
      this.roster.afkChanged(after.guild.afkChannelId);
      if (this.roster.update(after)) await this.sessions.enter(after, now);
      else await this.sessions.finish(after.id, now);
      this.sessions.recompute(now);
    });
  }

  /** Credits the whole minutes earned so far in every open session (the periodic tick). */
  checkpoint(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.started) return;
      const now = this.clock.nowMs();
      this.sessions.recompute(now);
      await this.sessions.checkpoint(now);
    });
  }

  /** Resolves once everything queued so far has run (tests, shutdown). */
  idle(): Promise<void> {
    return this.enqueue(async () => undefined);
  }

  isEarning(userId: string): boolean {
    return this.sessions.isEarning(userId);
  }

  hasSession(userId: string): boolean {
    return this.sessions.hasSession(userId);
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

  /**
   * Takes the guild's voice states as the truth: members who left while we were blind end,
   * newcomers start (after a login there is nobody to end).
   */
  private async follow(guild: Guild): Promise<void> {
    const now = this.clock.nowMs();
    this.sessions.recompute(now);
    const { left, inVoice } = this.roster.sync(guild);
    for (const userId of left) await this.sessions.finish(userId, now);
    for (const state of inVoice) await this.sessions.enter(state, now);
    this.sessions.recompute(now);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work).catch((error: Error) => {
      this.logger.error(`Voice tracking step failed: ${error.stack ?? error.message}`);
    });
    this.chain = next;
    return next;
  }
}
