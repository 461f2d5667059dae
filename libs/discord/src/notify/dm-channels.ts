import { Inject, Injectable } from '@nestjs/common';
import { REST, Routes, type APIChannel } from 'discord.js';
import { DiscordBudget } from '../rest/discord-budget';
import { DISCORD_DM_REST } from '../rest/discord-rest';

/** Enough for every active player of a large community; older entries are reopened if needed. */
const MAX_CHANNELS = 10_000;

/**
 * DM channel ids per user, cached in this process: a user's DM channel with the bot never
 * changes, so opening it (POST /users/@me/channels) once instead of before every message saves
 * one of Discord's calls per DM. Bounded (least recently used out first); a cached channel
 * Discord no longer knows is dropped with `forget` and opened again.
 */
@Injectable()
export class DmChannels {
  private readonly channels = new Map<string, string>();

  constructor(
    @Inject(DISCORD_DM_REST) private readonly rest: REST,
    private readonly budget: DiscordBudget,
  ) {}

  async of(userId: string): Promise<string> {
    const cached = this.channels.get(userId);
    if (cached !== undefined) {
      // Re-inserted: a Map iterates in insertion order, so the first key is the least recent.
      this.channels.delete(userId);
      this.channels.set(userId, cached);
      return cached;
    }
    await this.budget.dmCall();
    const channel = (await this.rest.post(Routes.userChannels(), {
      body: { recipient_id: userId },
    })) as APIChannel;
    this.channels.set(userId, channel.id);
    if (this.channels.size > MAX_CHANNELS) {
      this.channels.delete(this.channels.keys().next().value!);
    }
    return channel.id;
  }

  forget(userId: string): void {
    this.channels.delete(userId);
  }
}
