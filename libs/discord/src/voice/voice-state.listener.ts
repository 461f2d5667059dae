import { Injectable } from '@nestjs/common';
import { Context, On, Once, type ContextOf } from 'necord';
import { DiscordSettings } from '../discord-settings';
import { VoiceTracker } from './voice-tracker.service';

/** Feeds the gateway's voice events to the tracker. */
@Injectable()
export class VoiceStateListener {
  constructor(
    private readonly tracker: VoiceTracker,
    private readonly settings: DiscordSettings,
  ) {}

  /** After login the guild (with everyone's voice state) came in GUILD_CREATE. */
  @Once('clientReady')
  async onReady(@Context() [client]: ContextOf<'clientReady'>): Promise<void> {
    const guild = client.guilds.cache.get(this.settings.guildId);
    if (guild) await this.tracker.start(guild);
  }

  @On('voiceStateUpdate')
  async onVoiceStateUpdate(
    @Context() [before, after]: ContextOf<'voiceStateUpdate'>,
  ): Promise<void> {
    await this.tracker.onVoiceStateUpdate(before, after);
  }
}
